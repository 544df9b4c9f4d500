import { describe, expect, it } from '@jest/globals';
import { RpcClient, type RpcCallOptions } from '@app/messaging';
import { ResilientRpcClient, type ResilientRpcSettings } from './resilient-rpc-client.js';

/** A transport that answers with the deadline it was given for the call. */
class DeadlineEcho extends RpcClient {
  get isReady(): boolean {
    return true;
  }

  send(_pattern: string, _request: unknown, options?: RpcCallOptions): Promise<unknown> {
    return Promise.resolve(options?.timeoutMs ?? 'transport default');
  }
}

describe('ResilientRpcClient', () => {
  it('gives each call the deadline in force when it is made', async () => {
    let settings: ResilientRpcSettings = { timeoutMs: 5000, failureThreshold: 5, cooldownMs: 1000 };
    const client = new ResilientRpcClient(new DeadlineEcho(), 'users', () => settings);
    expect(await client.send('users.get', {})).toBe(5000);
    settings = { ...settings, timeoutMs: 800 };
    expect(await client.send('users.get', {})).toBe(800);
  });

  it("keeps a deadline the caller sets, and the transport's own without settings for it", async () => {
    const live = new ResilientRpcClient(new DeadlineEcho(), 'users', () => ({
      timeoutMs: 800,
      failureThreshold: 5,
      cooldownMs: 1000,
    }));
    expect(await live.send('users.get', {}, { timeoutMs: 300 })).toBe(300);
    const fixed = new ResilientRpcClient(new DeadlineEcho(), 'users', { failureThreshold: 5, cooldownMs: 1000 });
    expect(await fixed.send('users.get', {})).toBe('transport default');
  });
});
