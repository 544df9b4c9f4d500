import { Counter, Gauge, Histogram, register } from 'prom-client';

/*
 * Every series the apps expose on /metrics, defined once. Labels are bounded: route templates,
 * RPC patterns, queue names and fixed outcome sets, never ids or raw paths. Each process is one
 * service, named by the `service` default label (MetricsModule).
 */

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests by route template and status',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: LATENCY_BUCKETS,
});

export type RpcClientOutcome = 'ok' | 'remote_error' | 'timeout' | 'unavailable' | 'circuit_open';

export const rpcClientDuration = new Histogram({
  name: 'rpc_client_duration_seconds',
  help: 'RPC calls made, by target queue, pattern and outcome',
  labelNames: ['target', 'pattern', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
});

export const rpcServerDuration = new Histogram({
  name: 'rpc_server_duration_seconds',
  help: 'RPC requests served, by pattern and outcome',
  labelNames: ['pattern', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
});

export const messagesConsumed = new Counter({
  name: 'messages_consumed_total',
  help: 'Integration events consumed: handled, or skipped as duplicates by the inbox',
  labelNames: ['queue', 'outcome'] as const,
});

export const messagesRetried = new Counter({
  name: 'messages_retried_total',
  help: 'Integration events to be retried after a handler failure (a retry queue, or the outbox in process)',
  labelNames: ['queue'] as const,
});

export type DeadLetterReason = 'handler_failed' | 'invalid' | 'no_handler';

export const messagesDeadLettered = new Counter({
  name: 'messages_dead_lettered_total',
  help: 'Integration events dead-lettered (the .dlq queue, or the dead_letters table in process), by reason',
  labelNames: ['queue', 'reason'] as const,
});

export const outboxParked = new Counter({
  name: 'outbox_parked_total',
  help: 'Integration events the broker returned as unroutable (no queue bound), parked in the outbox',
});

export const outboxPublished = new Counter({
  name: 'outbox_published_total',
  help: 'Outbox rows published: confirmed by the broker, or taken by every in-process consumer',
});

export const sagaOutcomes = new Counter({
  name: 'saga_outcomes_total',
  help: 'Orders settled, by outcome and reason (rejected: INSUFFICIENT_CREDIT, USER_NOT_FOUND, SAGA_TIMEOUT)',
  labelNames: ['outcome', 'reason'] as const,
});

export const paymentsTotal = new Counter({
  name: 'payments_total',
  help: 'Payments changed, by the status they reached (captured, declined, voided, refund_pending, refunded)',
  labelNames: ['outcome'] as const,
});

export const providerCalls = new Counter({
  name: 'provider_calls_total',
  help: 'Calls to the payment provider, by operation (capture, refund) and outcome (captured, declined, refunded, nothing_to_refund, unavailable)',
  labelNames: ['operation', 'outcome'] as const,
});

export const providerCallDuration = new Histogram({
  name: 'provider_call_duration_seconds',
  help: 'Calls to the payment provider, by operation and outcome',
  labelNames: ['operation', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
});

export const rateLimitStoreFallbacks = new Counter({
  name: 'rate_limit_store_fallbacks_total',
  help: 'Rate-limit checks counted per process because the shared store (Redis) was down or slow, by limit',
  labelNames: ['limit'] as const,
});

type OutboxStats = { unpublished: number; oldestAgeMs: number; parked: number };
type PoolStats = { total: number; idle: number; waiting: number };

/**
 * Sources read at scrape time, by database name (set by whoever owns the thing measured): one
 * per service, or one per context in the modular monolith.
 */
export const scrapeSources = {
  outbox: new Map<string, () => Promise<OutboxStats>>(),
  pool: new Map<string, () => PoolStats>(),
};

let outboxScrape: Promise<[string, OutboxStats][]> | null = null;

/** One query per database and scrape for both outbox gauges, which prom-client collects at the same time. */
function outboxStats(): Promise<[string, OutboxStats][]> {
  outboxScrape ??= Promise.all(
    [...scrapeSources.outbox].map(async ([database, stats]): Promise<[string, OutboxStats]> => [
      database,
      await stats(),
    ]),
  ).finally(() => (outboxScrape = null));
  return outboxScrape;
}

new Gauge({
  name: 'outbox_unpublished_rows',
  help: 'Outbox rows not yet published',
  labelNames: ['database'] as const,
  async collect() {
    for (const [database, stats] of await outboxStats()) this.set({ database }, stats.unpublished);
  },
});

new Gauge({
  name: 'outbox_parked_rows',
  help: 'Outbox rows no queue took (unroutable), parked until an operator replays them (npm run outbox:replay)',
  labelNames: ['database'] as const,
  async collect() {
    for (const [database, stats] of await outboxStats()) this.set({ database }, stats.parked);
  },
});

new Gauge({
  name: 'outbox_oldest_unpublished_age_seconds',
  help: 'Age of the oldest unpublished outbox row (relay lag)',
  labelNames: ['database'] as const,
  async collect() {
    for (const [database, stats] of await outboxStats()) this.set({ database }, stats.oldestAgeMs / 1000);
  },
});

new Gauge({
  name: 'db_pool_connections',
  help: 'Database pool connections by state',
  labelNames: ['database', 'state'] as const,
  collect() {
    for (const [database, stats] of scrapeSources.pool) {
      const pool = stats();
      this.set({ database, state: 'total' }, pool.total);
      this.set({ database, state: 'idle' }, pool.idle);
      this.set({ database, state: 'waiting' }, pool.waiting);
    }
  },
});

export const configReloads = new Counter({
  name: 'config_reloads_total',
  help: 'Live configuration changes applied (the file named by LIVE_CONFIG_FILE), by app',
  labelNames: ['app'] as const,
});

export const configReloadFailures = new Counter({
  name: 'config_reload_failures_total',
  help: 'Live configuration files refused (unreadable, malformed, an unknown key, an invalid value); the values in force stay',
  labelNames: ['app'] as const,
});

export const configInfo = new Gauge({
  name: 'config_info',
  help: 'The live configuration version in force (1), by app; "none" without a live configuration file',
  labelNames: ['app', 'version'] as const,
});

export { register as metricsRegistry };
