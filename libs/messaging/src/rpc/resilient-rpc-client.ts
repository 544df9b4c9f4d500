import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
import { RpcClient, type RpcCallOptions } from './rpc-client.js';
import { RpcTimeoutError, RpcUnavailableError } from './rpc-errors.js';

/**
 * An RpcClient with a circuit breaker per target service, and one retry for calls the caller
 * marks idempotent (queries) when the request could not even be sent. Commands are never
 * retried here: a timed-out command may still have been applied.
 */
export class ResilientRpcClient extends RpcClient {
  readonly breaker: CircuitBreaker;

  constructor(
    private readonly inner: RpcClient,
    target: string,
    options: CircuitBreakerOptions,
  ) {
    super();
    this.breaker = new CircuitBreaker(
      target,
      options,
      (error) => error instanceof RpcTimeoutError || error instanceof RpcUnavailableError,
    );
  }

  get isReady(): boolean {
    return this.inner.isReady;
  }

  send<TResponse, TRequest = unknown>(
    pattern: string,
    request: TRequest,
    options?: RpcCallOptions,
  ): Promise<TResponse> {
    const call = () => this.inner.send<TResponse, TRequest>(pattern, request, options);
    return this.breaker.run(async () => {
      try {
        return await call();
      } catch (error) {
        if (options?.idempotent && error instanceof RpcUnavailableError) return call();
        throw error;
      }
    });
  }
}
