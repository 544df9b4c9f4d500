import {
  AmqpConnection,
  AmqpRpcClient,
  ResilientRpcClient,
  prefixed,
  type CircuitBreakerOptions,
} from '@app/messaging';

export const USERS_CLIENT = Symbol('USERS_CLIENT');
export const ORDERS_CLIENT = Symbol('ORDERS_CLIENT');

/** The RPC client of one service: over RabbitMQ, with a deadline and a circuit breaker. */
export async function amqpClientFor(
  amqp: AmqpConnection,
  queue: string,
  timeoutMs: number,
  breaker: CircuitBreakerOptions,
): Promise<ResilientRpcClient> {
  const client = new AmqpRpcClient(amqp, prefixed(amqp.options, queue), timeoutMs);
  await client.init();
  return new ResilientRpcClient(client, queue, breaker);
}
