import { Logger } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import type { DataSource, EntityManager } from 'typeorm';
import { EVENTS_EXCHANGE, type IntegrationEvent } from '@app/contracts';
import {
  ContextHeaders,
  SpanKind,
  extractTraceContext,
  injectTraceContext,
  outboxPublished,
  scrapeSources,
  startSpan,
} from '@app/platform';
import type { AmqpConnection } from '../amqp/amqp-connection.js';
import { prefixed } from '../amqp/amqp-options.js';
import type { OutboxRelayOptions } from './outbox-options.js';
import type { OutboxSignal } from './outbox-signal.js';

interface OutboxRow {
  id: string;
  type: string;
  routing_key: string;
  payload: unknown;
  headers: { version: number; correlationId: string | null; causationId: string | null; traceparent?: string };
  occurred_at: Date;
}

export interface OutboxStats {
  unpublished: number;
  oldestAgeMs: number;
}

const MAX_BACKOFF_SECONDS = 60;
const RETENTION = '7 days';

/**
 * Publishes committed outbox rows to the `events` exchange: right after the commit that wrote
 * them (OutboxSignal) and by polling. Rows are claimed with FOR UPDATE SKIP LOCKED, so
 * replicas share the work; a row is marked published only after the broker confirms it, so
 * a crash or a lost connection means a re-publish (consumers' inboxes absorb it), never a loss.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private channel: ConfirmChannel | null = null;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private lastCleanup = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly amqp: AmqpConnection,
    private readonly signal: OutboxSignal,
    private readonly options: OutboxRelayOptions,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.amqp.addSetup((model) => this.openChannel(model));
    this.signal.listen(() => this.kick());
    scrapeSources.outbox = () => this.stats();
    this.timer = setInterval(() => this.kick(), this.options.pollIntervalMs);
    this.kick();
  }

  /**
   * Stops polling, waits for the batch in progress, then publishes once more what the last
   * in-flight work committed (called after the consumers and RPC servers stopped).
   */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopped = true;
    await this.draining;
    await this.drain(true);
  }

  kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  async stats(): Promise<OutboxStats> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS unpublished,
              coalesce(floor(extract(epoch FROM now() - min(occurred_at)) * 1000), 0)::bigint AS oldest_age_ms
         FROM outbox WHERE published_at IS NULL`,
    )) as { unpublished: number; oldest_age_ms: string }[];
    return { unpublished: row?.unpublished ?? 0, oldestAgeMs: Number(row?.oldest_age_ms ?? 0) };
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
    const channel = this.channel;
    if (!channel || !this.amqp.isConnected) return 0;
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `SELECT id, type, routing_key, payload, headers, occurred_at FROM outbox
          WHERE published_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= now())
          ORDER BY position LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize],
      )) as OutboxRow[];
      if (rows.length === 0) return 0;
      const ids = rows.map((row) => row.id);
      try {
        for (const row of rows) this.publish(channel, row);
        await channel.waitForConfirms();
      } catch (error) {
        await this.postpone(manager, ids, error);
        return 0;
      }
      await manager.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])', [ids]);
      outboxPublished.inc(rows.length);
      return rows.length;
    });
  }

  private publish(channel: ConfirmChannel, row: OutboxRow): void {
    const event: IntegrationEvent = {
      id: row.id,
      type: row.type,
      version: row.headers.version,
      occurredAt: row.occurred_at.toISOString(),
      correlationId: row.headers.correlationId,
      causationId: row.headers.causationId,
      payload: row.payload,
    };
    // A producer span, child of the span that wrote the row, so the trace runs on through the broker.
    const parent = extractTraceContext(row.headers);
    const span = startSpan(
      `publish ${row.routing_key}`,
      SpanKind.PRODUCER,
      { 'messaging.destination.name': row.routing_key, 'messaging.message.id': row.id },
      parent,
    );
    const headers: Record<string, unknown> = {
      [ContextHeaders.correlationId]: row.headers.correlationId,
      [ContextHeaders.causationId]: row.headers.causationId,
    };
    injectTraceContext(headers, trace.setSpan(parent, span));
    channel.publish(prefixed(this.amqp.options, EVENTS_EXCHANGE), row.routing_key, Buffer.from(JSON.stringify(event)), {
      persistent: true,
      messageId: row.id,
      type: row.type,
      contentType: 'application/json',
      timestamp: Math.floor(row.occurred_at.getTime() / 1000),
      headers,
    });
    span.end();
  }

  /** The broker refused or lost the batch: try these rows again later, with backoff. */
  private async postpone(manager: EntityManager, ids: string[], error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(`outbox relay: publish failed, will retry: ${reason}`);
    await manager.query(
      `UPDATE outbox SET attempts = attempts + 1, last_error = $2,
              next_attempt_at = now() + make_interval(secs => least(power(2, attempts), $3))
        WHERE id = ANY($1::uuid[])`,
      [ids, reason.slice(0, 500), MAX_BACKOFF_SECONDS],
    );
  }

  private async cleanUp(): Promise<void> {
    if (Date.now() - this.lastCleanup < 60_000) return;
    this.lastCleanup = Date.now();
    await this.dataSource.query(`DELETE FROM outbox WHERE published_at < now() - interval '${RETENTION}'`);
  }

  private async openChannel(model: ChannelModel): Promise<ConfirmChannel | void> {
    if (this.stopped) return;
    const channel = await model.createConfirmChannel();
    channel.on('error', (err: Error) => this.logger.warn(`outbox channel: ${err.message}`));
    channel.on('close', () => {
      if (this.channel === channel) this.channel = null;
    });
    await channel.assertExchange(prefixed(this.amqp.options, EVENTS_EXCHANGE), 'topic', { durable: true });
    this.channel = channel;
    this.kick();
    return channel;
  }
}

/** Readiness detail: how far behind the relay is (never fails readiness by itself). */
export function outboxReadiness(relay: OutboxRelay): { name: string; check: () => Promise<Record<string, unknown>> } {
  return { name: 'outbox', check: async () => ({ ...(await relay.stats()) }) };
}
