import { connect, type Channel, type ChannelModel } from 'amqplib';
import { AMQP_URL } from './amqp-test-kit.js';

/** Reads queue depths (ready messages) without consuming anything. */
export class BrokerProbe {
  private channel: Channel | null = null;

  private constructor(private readonly connection: ChannelModel) {}

  static async open(url: string = AMQP_URL): Promise<BrokerProbe> {
    return new BrokerProbe(await connect(url));
  }

  /** Ready messages in the queue, or null when it does not exist. */
  async depth(queue: string): Promise<number | null> {
    try {
      if (!this.channel) {
        this.channel = await this.connection.createChannel();
        this.channel.on('error', () => undefined);
      }
      return (await this.channel.checkQueue(queue)).messageCount;
    } catch {
      this.channel = null; // a 404 closes the channel
      return null;
    }
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
