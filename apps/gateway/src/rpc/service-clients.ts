import { AmqpConnection, AmqpRpcClient, RpcClient, prefixed } from '@app/messaging';

export const USERS_CLIENT = Symbol('USERS_CLIENT');
export const ORDERS_CLIENT = Symbol('ORDERS_CLIENT');

/** The RPC client of one service over RabbitMQ. */
export async function amqpClientFor(amqp: AmqpConnection, queue: string, timeoutMs: number): Promise<RpcClient> {
  const client = new AmqpRpcClient(amqp, prefixed(amqp.options, queue), timeoutMs);
  await client.init();
  return client;
}
