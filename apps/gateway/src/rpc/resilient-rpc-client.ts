import { rpcClientDuration, type RpcClientOutcome } from '@app/platform';
import { RpcClient, RpcRemoteError, RpcTimeoutError, RpcUnavailableError, type RpcCallOptions } from '@app/messaging';
import { CircuitBreaker, CircuitOpenError, type CircuitBreakerOptions } from './circuit-breaker.js';

export interface ResilientRpcSettings extends CircuitBreakerOptions {
  /** Deadline of a call that sets none itself; unset: the inner client's own. */
  timeoutMs?: number;
}

/**
 * An RpcClient with a circuit breaker per target service, and one retry for calls the caller
 * marks idempotent (queries) when the request could not even be sent. Commands are never
 * retried here: a timed-out command may still have been applied. Every call is timed. Given a
 * function, its settings are read per call, so the live configuration changes them at once.
 */
export class ResilientRpcClient extends RpcClient {
  readonly breaker: CircuitBreaker;

  constructor(
    private readonly inner: RpcClient,
    private readonly target: string,
    private readonly settings: ResilientRpcSettings | (() => ResilientRpcSettings),
  ) {
    super();
    this.breaker = new CircuitBreaker(
      target,
      () => this.current(),
      (error) => error instanceof RpcTimeoutError || error instanceof RpcUnavailableError,
    );
  }

  private current(): ResilientRpcSettings {
    return typeof this.settings === 'function' ? this.settings() : this.settings;
  }

  get isReady(): boolean {
    return this.inner.isReady;
  }

  async send(pattern: string, request: unknown, options?: RpcCallOptions): Promise<unknown> {
    const end = rpcClientDuration.startTimer({ target: this.target, pattern });
    const timeoutMs = options?.timeoutMs ?? this.current().timeoutMs;
    const call = timeoutMs === undefined ? options : { ...options, timeoutMs };
    try {
      const response = await this.breaker.run(() => this.attempt(pattern, request, call));
      end({ outcome: 'ok' });
      return response;
    } catch (error) {
      end({ outcome: outcomeOf(error) });
      throw error;
    }
  }

  private async attempt(pattern: string, request: unknown, options?: RpcCallOptions): Promise<unknown> {
    try {
      return await this.inner.send(pattern, request, options);
    } catch (error) {
      if (!options?.idempotent || !(error instanceof RpcUnavailableError)) throw error;
      return this.inner.send(pattern, request, options);
    }
  }
}

function outcomeOf(error: unknown): RpcClientOutcome {
  if (error instanceof RpcRemoteError) return 'remote_error';
  if (error instanceof RpcTimeoutError) return 'timeout';
  if (error instanceof CircuitOpenError) return 'circuit_open';
  return 'unavailable';
}
