import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { InFlight } from '../in-flight.js';
import { answerRpc } from '../rpc/rpc-dispatch.js';
import type { InProcessBroker, InProcessMessage } from './in-process-broker.js';

/**
 * Serves one context's `@MessagePattern` handlers on an in-process queue: the same handlers,
 * parsing, error mapping, spans and metrics as over RabbitMQ (`answerRpc`), and the same
 * drain on close (no new requests, the ones in hand answered). Like a service's RPC_PREFETCH,
 * at most `concurrency` requests are worked on at once; the rest wait their turn, so that under
 * load new requests do not crowd out the saga's events at the database pool.
 */
export class InProcessRpcServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(InProcessRpcServer.name);
  private readonly inFlight = new InFlight();
  private serving = false;
  private concurrency = Infinity;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private before: () => Promise<void> = async () => undefined;

  constructor(
    private readonly broker: InProcessBroker,
    private readonly queue: string,
  ) {
    super();
  }

  /**
   * What must be done, once the app is initialised, before requests are taken (the start-up
   * gate: database connected and migrated, consumers started); set before `listen`.
   */
  serveAfter(before: () => Promise<void>): void {
    this.before = before;
  }

  listen(callback: (err?: unknown) => void): void {
    this.before()
      .then(() => {
        this.broker.serve(this.queue, (pattern, message) => this.inFlight.track(this.admitted(pattern, message)));
        this.serving = true;
      })
      .then(() => callback(), callback);
  }

  async close(): Promise<void> {
    if (this.serving) this.broker.unserve(this.queue);
    this.serving = false;
    await this.inFlight.settled();
  }

  /** Requests worked on at once (RPC_PREFETCH); set before `listen`. */
  limitConcurrency(concurrency: number): void {
    this.concurrency = Math.max(1, concurrency);
  }

  private async admitted(pattern: string, message: InProcessMessage): Promise<string> {
    if (this.running < this.concurrency) this.running += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // a finishing request hands its slot over
    try {
      return await this.answer(pattern, message);
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
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
