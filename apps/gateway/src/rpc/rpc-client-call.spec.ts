import { describe, expect, it } from '@jest/globals';
import { OrdersRpc, UsersRpc } from '@app/contracts';
import { ResilientRpcClient } from './resilient-rpc-client.js';
import { RpcClient, RpcUnavailableError, type RpcCallOptions } from '@app/messaging';

/** A transport that records what it is sent and fails the first `failures` attempts as unsendable. */
class RecordingTransport extends RpcClient {
  readonly sent: { pattern: string; request: unknown; options?: RpcCallOptions }[] = [];

  constructor(private failures = 0) {
    super();
  }

  get isReady(): boolean {
    return true;
  }

  send(pattern: string, request: unknown, options?: RpcCallOptions): Promise<unknown> {
    this.sent.push({ pattern, request, options });
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new RpcUnavailableError('users.rpc', 'connection lost'));
    }
    return Promise.resolve({ answered: pattern });
  }
}

const accessToken = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln';
const userId = '2e40b518-f03e-4c0a-92bb-d8654068a825';

describe('RpcClient.call', () => {
  it("sends the request under the definition's name, idempotent as the definition says, with the caller's deadline", async () => {
    const transport = new RecordingTransport();
    await transport.call(UsersRpc.get, { accessToken, userId }, { timeoutMs: 300 });
    await transport.call(OrdersRpc.cancel, { accessToken, orderId: userId });
    expect(transport.sent).toEqual([
      { pattern: 'users.get', request: { accessToken, userId }, options: { timeoutMs: 300, idempotent: true } },
      { pattern: 'orders.cancel', request: { accessToken, orderId: userId }, options: { idempotent: false } },
    ]);
  });

  it('is retried once, behind the breaker, when the definition is a query and the request could not be sent', async () => {
    const transport = new RecordingTransport(1);
    const client = new ResilientRpcClient(transport, 'users', { failureThreshold: 5, cooldownMs: 1000 });
    await expect(client.call(UsersRpc.get, { accessToken, userId })).resolves.toEqual({ answered: 'users.get' });
    expect(transport.sent).toHaveLength(2);
  });

  it('is never retried when the definition is a command: it may have been applied', async () => {
    const transport = new RecordingTransport(1);
    const client = new ResilientRpcClient(transport, 'users', { failureThreshold: 5, cooldownMs: 1000 });
    const request = { accessToken, userId, name: 'Ada' };
    await expect(client.call(UsersRpc.updateProfile, request)).rejects.toBeInstanceOf(RpcUnavailableError);
    expect(transport.sent).toHaveLength(1);
  });
});
