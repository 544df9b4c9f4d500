// RabbitMQ clean-up of a run: its queues and exchanges, all named under its prefix.
import amqplib from 'amqplib';

export const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

/** Deletes the queues and exchanges; missing ones are fine. */
export async function deleteTopology({ queues = [], exchanges = [] }) {
  const connection = await amqplib.connect(AMQP_URL);
  let channel = null;
  // The broker closes a channel on an error: open another for the next deletion.
  const attempt = async (action) => {
    try {
      if (!channel) {
        channel = await connection.createChannel();
        channel.on('error', () => undefined);
      }
      await action(channel);
    } catch {
      channel = null;
    }
  };
  try {
    for (const queue of queues) await attempt((ch) => ch.deleteQueue(queue));
    for (const exchange of exchanges) await attempt((ch) => ch.deleteExchange(exchange));
  } finally {
    await connection.close().catch(() => undefined);
  }
}
