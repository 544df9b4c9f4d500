export interface AmqpOptions {
  /** amqp://user:pass@host:port/vhost */
  url: string;
  /** Prepended to every queue and exchange name, so test runs never collide. */
  prefix: string;
  /** Unacked messages a consumer may hold (back-pressure and fairness between replicas). */
  prefetch: number;
  /** Seconds between heartbeats; a dead broker is noticed after about two missed beats. */
  heartbeatSeconds: number;
  /** Name shown in the RabbitMQ management UI for this connection. */
  connectionName: string;
}

export function prefixed(options: Pick<AmqpOptions, 'prefix'>, name: string): string {
  return options.prefix + name;
}
