import { Logger } from '@nestjs/common';
import { trace, type Span } from '@opentelemetry/api';
import type { DataSource, EntityManager } from 'typeorm';
import {
  ContextHeaders,
  SpanKind,
  extractTraceContext,
  injectTraceContext,
  outboxParked,
  outboxPublished,
  scrapeSources,
  startSpan,
} from '@app/platform';
import type { EventPublisher, OutgoingEvent } from '../events/event-transport.js';
import type { OutboxRelayOptions } from './outbox-options.js';
import type { OutboxSignal } from './outbox-signal.js';

interface OutboxRow {
  id: string;
  type: string;
  routing_key: string;
  payload: unknown;
  headers: {
    version: number;
    correlationId: string | null;
    causationId: string | null;
    traceparent?: string;
    mustBeReceived?: boolean;
  };
  occurred_at: Date;
  attempts: number;
}

export interface OutboxStats {
  /** Waiting for the relay (parked rows not included). */
  unpublished: number;
  oldestAgeMs: number;
  /** Returned by the broker as unroutable: waiting for an operator's replay. */
  parked: number;
}

const MAX_BACKOFF_SECONDS = 60;
const RETENTION = '7 days';
/**
 * Longer than the outbox's: a copy can reach a consumer again only while some producer still
 * holds its row (a relay that crashed between confirm and marking re-publishes it), so an inbox
 * entry older than any outbox row can no longer meet a duplicate.
 */
const INBOX_RETENTION = '14 days';
const PURGE_BATCH = 10_000;

/**
 * Hands committed outbox rows to the event transport (RabbitMQ's `events` exchange, or the
 * in-process broker): right after the commit that wrote them (OutboxSignal) and by polling.
 * Rows are claimed with FOR UPDATE SKIP LOCKED, so replicas share the work; a row is marked
 * published only once the transport says it is safe (broker confirm, or every in-process
 * consumer's commit), so a crash or a lost connection means a re-publish (consumers' inboxes
 * absorb it), never a loss. A row a consumer could not take yet is offered again after the
 * delay it asked for. A row that no queue took (unroutable) is parked: counted, shown in the
 * readiness detail and left alone until `npm run outbox:replay` (or `replayParked`) offers it
 * again.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | null = null;
  private wake: { at: number; timer: NodeJS.Timeout } | null = null;
  private readonly draining = new Set<Promise<void>>();
  private again = false;
  private stopped = true;
  private started = false;
  private lastCleanup = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly signal: OutboxSignal,
    private readonly options: OutboxRelayOptions,
  ) {}

  /** True once started (the app's dependencies are up), until stopped. */
  get isStarted(): boolean {
    return this.started && !this.stopped;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.started = true;
    await this.publisher.start(() => this.kick());
    this.signal.listen(() => this.kick());
    scrapeSources.outbox.set(String(this.dataSource.options.database), () => this.stats());
    this.timer = setInterval(() => this.kick(), this.options.pollIntervalMs);
    this.kick();
  }

  /**
   * Stops polling, waits for the batch in progress, then publishes once more what the last
   * in-flight work committed (called after the consumers and RPC servers stopped).
   */
  async stop(): Promise<void> {
    if (!this.started) return; // the app stopped before its dependencies were up
    if (this.timer) clearInterval(this.timer);
    if (this.wake) clearTimeout(this.wake.timer);
    this.timer = null;
    this.wake = null;
    this.stopped = true;
    await Promise.all([...this.draining]);
    await this.drain(true);
  }

  /**
   * Drains now, unless `publisher.concurrency` drains already run: then once more after one
   * ends. Concurrent drains claim different rows (SKIP LOCKED): a row committed while a batch is
   * being delivered need not wait for that whole batch.
   */
  kick(): void {
    if (this.stopped) return;
    if (this.draining.size >= this.publisher.concurrency) {
      this.again = true;
      return;
    }
    const drain: Promise<void> = this.drain().finally(() => {
      this.draining.delete(drain);
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
    this.draining.add(drain);
  }

  async stats(): Promise<OutboxStats> {
    const [row] = (await this.dataSource.query(
      `SELECT (count(*) FILTER (WHERE parked_at IS NULL))::int AS unpublished,
              (count(*) FILTER (WHERE parked_at IS NOT NULL))::int AS parked,
              coalesce(floor(extract(epoch FROM now() - min(occurred_at) FILTER (WHERE parked_at IS NULL)) * 1000), 0)::bigint
                AS oldest_age_ms
         FROM outbox WHERE published_at IS NULL`,
    )) as { unpublished: number; parked: number; oldest_age_ms: string }[];
    return {
      unpublished: row?.unpublished ?? 0,
      oldestAgeMs: Number(row?.oldest_age_ms ?? 0),
      parked: row?.parked ?? 0,
    };
  }

  private async drain(evenWhenStopped = false): Promise<void> {
    try {
      while ((evenWhenStopped || !this.stopped) && (await this.publishBatch()) === this.options.batchSize) {
        // a full batch: more may be waiting
      }
      await this.cleanUp();
    } catch (error) {
      this.logger.warn(`outbox relay: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async publishBatch(): Promise<number> {
    if (!this.publisher.isReady) return 0;
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `SELECT id, type, routing_key, payload, headers, occurred_at, attempts FROM outbox
          WHERE published_at IS NULL AND parked_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= now())
          ORDER BY position LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize],
      )) as OutboxRow[];
      if (rows.length === 0) return 0;
      const spans: Span[] = [];
      const events = rows.map((row) => outgoing(row, spans));
      let results;
      try {
        results = await this.publisher.publish(events);
      } catch (error) {
        await this.postpone(manager, rows, error);
        return 0;
      } finally {
        for (const span of spans) span.end();
      }
      const published = rows.filter((_, i) => results[i]?.status === 'delivered').map((row) => row.id);
      if (published.length > 0) {
        await manager.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])', [published]);
      }
      await this.offerAgain(manager, rows, results);
      await this.park(manager, rows, results);
      outboxPublished.inc(published.length);
      return rows.length;
    });
  }

  /** The transport refused or lost the whole batch (broker down): try these rows later, with backoff. */
  private async postpone(manager: EntityManager, rows: OutboxRow[], error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(`outbox relay: publish failed, will retry: ${reason}`);
    await manager.query(
      `UPDATE outbox SET attempts = attempts + 1, last_error = $2,
              next_attempt_at = now() + make_interval(secs => least(power(2, attempts), $3))
        WHERE id = ANY($1::uuid[])`,
      [rows.map((row) => row.id), reason.slice(0, 500), MAX_BACKOFF_SECONDS],
    );
  }

  /** Rows a consumer could not take yet: offered again after the delay it asked for. */
  private async offerAgain(
    manager: EntityManager,
    rows: OutboxRow[],
    results: Awaited<ReturnType<EventPublisher['publish']>>,
  ): Promise<void> {
    const retries = rows.flatMap((row, i) => {
      const result = results[i];
      return result?.status === 'retry' ? [{ id: row.id, ...result }] : [];
    });
    if (retries.length === 0) return;
    await manager.query(
      `UPDATE outbox SET attempts = attempts + CASE WHEN v.attempted THEN 1 ELSE 0 END, last_error = v.reason,
              next_attempt_at = now() + v.delay_ms * interval '1 millisecond'
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::bool[]) AS v(id, delay_ms, reason, attempted)
        WHERE outbox.id = v.id`,
      [
        retries.map((r) => r.id),
        retries.map((r) => r.delayMs),
        retries.map((r) => r.reason.slice(0, 500)),
        retries.map((r) => r.attempted !== false),
      ],
    );
    this.wakeIn(Math.min(...retries.map((r) => r.delayMs)));
  }

  /** Rows no queue took: out of the relay's way, with the reason, until an operator replays them. */
  private async park(
    manager: EntityManager,
    rows: OutboxRow[],
    results: Awaited<ReturnType<EventPublisher['publish']>>,
  ): Promise<void> {
    const parked = rows.flatMap((row, i) => {
      const result = results[i];
      return result?.status === 'unroutable' ? [{ row, reason: result.reason }] : [];
    });
    if (parked.length === 0) return;
    for (const { row, reason } of parked) {
      this.logger.error(`outbox relay: parked ${row.type} ${row.id}: ${reason} (replay: npm run outbox:replay)`);
    }
    await manager.query(
      `UPDATE outbox SET parked_at = now(), last_error = v.reason
         FROM unnest($1::uuid[], $2::text[]) AS v(id, reason) WHERE outbox.id = v.id`,
      [parked.map((p) => p.row.id), parked.map((p) => p.reason.slice(0, 500))],
    );
    outboxParked.inc(parked.length);
  }

  /** Polling would find them too, but only at its next tick: short retry delays deserve better. */
  private wakeIn(delayMs: number): void {
    const at = Date.now() + delayMs;
    if (this.wake && this.wake.at <= at) return;
    if (this.wake) clearTimeout(this.wake.timer);
    const timer = setTimeout(() => {
      this.wake = null;
      this.kick();
    }, delayMs);
    timer.unref();
    this.wake = { at, timer };
  }

  /** Published outbox rows and old inbox entries of this database, once a minute at most. */
  private async cleanUp(): Promise<void> {
    if (Date.now() - this.lastCleanup < 60_000) return;
    this.lastCleanup = Date.now();
    await this.dataSource.query(`DELETE FROM outbox WHERE published_at < now() - interval '${RETENTION}'`);
    // In batches: one short statement at a time, never a long lock on a table every consumer writes.
    let purged: number;
    do {
      const [, count] = (await this.dataSource.query(
        `DELETE FROM inbox WHERE ctid IN (
           SELECT ctid FROM inbox WHERE processed_at < now() - interval '${INBOX_RETENTION}' LIMIT ${PURGE_BATCH})`,
      )) as [unknown, number];
      purged = count;
    } while (purged === PURGE_BATCH && !this.stopped);
  }
}

/**
 * The row as an event, with a producer span (child of the span that wrote the row) whose trace
 * context travels in the headers, so the trace runs on through the transport.
 */
function outgoing(row: OutboxRow, spans: Span[]): OutgoingEvent {
  const parent = extractTraceContext(row.headers);
  const span = startSpan(
    `publish ${row.routing_key}`,
    SpanKind.PRODUCER,
    { 'messaging.destination.name': row.routing_key, 'messaging.message.id': row.id },
    parent,
  );
  spans.push(span);
  const headers: Record<string, unknown> = {
    [ContextHeaders.correlationId]: row.headers.correlationId,
    [ContextHeaders.causationId]: row.headers.causationId,
  };
  injectTraceContext(headers, trace.setSpan(parent, span));
  return {
    routingKey: row.routing_key,
    attempt: row.attempts + 1,
    mustBeReceived: row.headers.mustBeReceived !== false,
    headers,
    event: {
      id: row.id,
      type: row.type,
      version: row.headers.version,
      occurredAt: row.occurred_at.toISOString(),
      correlationId: row.headers.correlationId,
      causationId: row.headers.causationId,
      payload: row.payload,
    },
  };
}

/** Readiness detail: how far behind the relay is (never fails readiness by itself). */
export function outboxReadiness(relay: OutboxRelay): { name: string; check: () => Promise<Record<string, unknown>> } {
  // One at a time, as the database check: probes of a stalled database must not pile up at its pool.
  let running: Promise<Record<string, unknown>> | null = null;
  const check = async (): Promise<Record<string, unknown>> =>
    relay.isStarted ? { ...(await relay.stats()) } : { started: false };
  return { name: 'outbox', check: () => (running ??= check().finally(() => (running = null))) };
}
