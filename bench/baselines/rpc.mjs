// RPC over RabbitMQ as a hand-written service would do it: direct reply-to (no reply queue to
// declare), correlation ids, Nagle off. The baselines' fronts call, their backs serve.
import { randomUUID } from 'node:crypto';
import amqplib from 'amqplib';

const REPLY_TO = 'amq.rabbitmq.reply-to';

// Nagle's algorithm delays small frames such as acks by up to 40 ms.
export const connectBroker = () => amqplib.connect(process.env.BASELINE_AMQP_URL, { noDelay: true });

/** call(body) resolves with the decoded reply, or rejects after timeoutMs. */
export async function rpcClient(connection, queue, timeoutMs = 5000) {
  const channel = await connection.createChannel();
  const pending = new Map();
  // Direct reply-to requires noAck, and the consumer to exist before the first publish.
  await channel.consume(
    REPLY_TO,
    (message) => {
      const call = pending.get(message.properties.correlationId);
      if (!call) return; // it timed out
      pending.delete(message.properties.correlationId);
      clearTimeout(call.timer);
      call.resolve(JSON.parse(message.content.toString()));
    },
    { noAck: true },
  );
  return (body) =>
    new Promise((resolve, reject) => {
      const correlationId = randomUUID();
      const timer = setTimeout(() => {
        pending.delete(correlationId);
        reject(new Error('rpc timeout'));
      }, timeoutMs);
      pending.set(correlationId, { resolve, timer });
      channel.sendToQueue(queue, Buffer.from(JSON.stringify(body)), {
        correlationId,
        replyTo: REPLY_TO,
        contentType: 'application/json',
      });
    });
}

/** Serves `queue` with handler(body) → reply, acking each request once its reply is sent. */
export async function serveRpc(connection, queue, handler, prefetch = 100) {
  const channel = await connection.createChannel();
  await channel.assertQueue(queue, { durable: false });
  await channel.prefetch(prefetch);
  await channel.consume(queue, async (message) => {
    let reply;
    try {
      reply = await handler(JSON.parse(message.content.toString()));
    } catch (error) {
      console.error(error);
      reply = { error: String(error.message ?? error) };
    }
    channel.sendToQueue(message.properties.replyTo, Buffer.from(JSON.stringify(reply)), {
      correlationId: message.properties.correlationId,
      contentType: 'application/json',
    });
    channel.ack(message);
  });
  return channel;
}
