import { randomBytes } from 'node:crypto';
import { connect } from 'amqplib';
import { AmqpConnection, type AmqpOptions } from '@app/messaging/amqp';

export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A queue/exchange prefix of its own for one test file, so runs never collide. */
export function testPrefix(kind: string): string {
  return `test-${kind}-${randomBytes(4).toString('hex')}.`;
}

export function amqpOptions(prefix: string, overrides: Partial<AmqpOptions> = {}): AmqpOptions {
  return {
    url: AMQP_URL,
    prefix,
    prefetch: 20,
    rpcPrefetch: 20,
    deliveryLimit: 20,
    heartbeatSeconds: 5,
    connectionName: `test ${prefix}`,
    ...overrides,
  };
}

export async function openConnection(prefix: string, overrides: Partial<AmqpOptions> = {}): Promise<AmqpConnection> {
  const connection = new AmqpConnection(amqpOptions(prefix, overrides));
  await connection.start();
  return connection;
}

/** Deletes the named queues (each already prefixed); missing ones are fine. */
export async function deleteQueues(queues: string[], url: string = AMQP_URL): Promise<void> {
  const connection = await connect(url);
  try {
    for (const queue of queues) {
      const channel = await connection.createChannel();
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  } finally {
    await connection.close();
  }
}
