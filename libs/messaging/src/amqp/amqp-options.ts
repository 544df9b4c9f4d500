import type { ConfigService } from '@nestjs/config';
import type { BaseEnv } from '@app/platform';

export interface AmqpOptions {
  /** amqp://user:pass@host:port/vhost */
  url: string;
  /** Prepended to every queue and exchange name, so test runs never collide. */
  prefix: string;
  /** Unacked messages a consumer may hold (back-pressure and fairness between replicas). */
  prefetch: number;
  /** RPC requests a server works on at once; the rest wait in the queue for it or another replica. */
  rpcPrefetch: number;
  /**
   * Deliveries of one message that its consumers never settled (they crashed or hung) before
   * the broker dead-letters it (quorum queues' `x-delivery-limit`).
   */
  deliveryLimit: number;
  /** Seconds between heartbeats; a dead broker is noticed after about two missed beats. */
  heartbeatSeconds: number;
  /**
   * Longest wait for the broker to confirm a batch of events (AMQP_CONFIRM_TIMEOUT_MS); the
   * outbox relay holds the batch's rows locked meanwhile. Unbounded when absent.
   */
  confirmTimeoutMs?: number;
  /** Name shown in the RabbitMQ management UI for this connection. */
  connectionName: string;
}

export function prefixed(options: Pick<AmqpOptions, 'prefix'>, name: string): string {
  return options.prefix + name;
}

/** The broker settings of an app, from its validated config. */
export function amqpOptionsFrom(config: ConfigService<BaseEnv, true>, connectionName: string): AmqpOptions {
  return {
    url: config.get('AMQP_URL', { infer: true }),
    prefix: config.get('AMQP_PREFIX', { infer: true }),
    prefetch: config.get('AMQP_PREFETCH', { infer: true }),
    rpcPrefetch: config.get('RPC_PREFETCH', { infer: true }),
    heartbeatSeconds: config.get('AMQP_HEARTBEAT_SECONDS', { infer: true }),
    deliveryLimit: config.get('AMQP_DELIVERY_LIMIT', { infer: true }),
    confirmTimeoutMs: config.get('AMQP_CONFIRM_TIMEOUT_MS', { infer: true }),
    connectionName,
  };
}
