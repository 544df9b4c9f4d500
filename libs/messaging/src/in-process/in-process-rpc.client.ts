import { randomUUID } from 'node:crypto';
import type { RpcReply } from '@app/contracts';
import { RpcClient, inClientSpan, rpcRequestHeaders, type RpcCallOptions } from '../rpc/rpc-client.js';
import { RpcRemoteError, RpcTimeoutError, RpcUnavailableError } from '../rpc/rpc-errors.js';
import { NotServedError, type InProcessBroker } from './in-process-broker.js';

/**
 * RPC to a context in the same process, with the RabbitMQ client's contract: the request and
 * the reply travel as JSON text (no object shared by reference), the call has the same
 * deadline (RpcTimeoutError), a context that is not running is RpcUnavailableError at once,
 * and an error reply is RpcRemoteError with the service's code.
 */
export class InProcessRpcClient extends RpcClient {
  constructor(
    private readonly broker: InProcessBroker,
    private readonly queue: string,
    private readonly defaultTimeoutMs: number,
  ) {
    super();
  }

  get isReady(): boolean {
    return this.broker.isServed(this.queue);
  }

  send(pattern: string, request: unknown, options: RpcCallOptions = {}): Promise<unknown> {
    return inClientSpan(pattern, this.queue, () =>
      this.request(pattern, request, options.timeoutMs ?? this.defaultTimeoutMs),
    );
  }

  private async request(pattern: string, request: unknown, timeoutMs: number): Promise<unknown> {
    const messageId = randomUUID();
    const headers = rpcRequestHeaders(messageId);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RpcTimeoutError(pattern, timeoutMs)), timeoutMs);
    });
    try {
      const body = JSON.stringify(request) ?? 'null';
      const text = await Promise.race([
        this.broker.request(this.queue, pattern, { body, headers, messageId }),
        deadline,
      ]);
      const reply = JSON.parse(text) as RpcReply<unknown>;
      if (!reply.ok) throw new RpcRemoteError(reply.error);
      return reply.data;
    } catch (error) {
      if (error instanceof NotServedError) throw new RpcUnavailableError(this.queue, error.message);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}
