import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { InFlight } from '../in-flight.js';
import { answerRpc } from '../rpc/rpc-dispatch.js';
import type { InProcessBroker, InProcessMessage } from './in-process-broker.js';

/**
 * Serves one context's `@MessagePattern` handlers on an in-process queue: the same handlers,
 * parsing, error mapping, spans and metrics as over RabbitMQ (`answerRpc`), and the same
 * drain on close (no new requests, the ones in hand answered).
 */
export class InProcessRpcServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(InProcessRpcServer.name);
  private readonly inFlight = new InFlight();
  private serving = false;

  constructor(
    private readonly broker: InProcessBroker,
    private readonly queue: string,
  ) {
    super();
  }

  listen(callback: (err?: unknown) => void): void {
    try {
      this.broker.serve(this.queue, (pattern, message) => this.inFlight.track(this.answer(pattern, message)));
      this.serving = true;
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    if (this.serving) this.broker.unserve(this.queue);
    this.serving = false;
    await this.inFlight.settled();
  }

  on(): never {
    throw new Error('InProcessRpcServer does not emit events');
  }

  unwrap<T>(): T {
    return this.broker as T;
  }

  private async answer(pattern: string, message: InProcessMessage): Promise<string> {
    const reply = await answerRpc(
      this,
      { pattern, body: message.body, headers: message.headers, messageId: message.messageId },
      this.logger,
    );
    return JSON.stringify(reply);
  }
}
