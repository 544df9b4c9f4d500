export interface RpcCallOptions {
  timeoutMs?: number;
  /** A query: safe to send again if the first attempt could not be delivered. */
  idempotent?: boolean;
}

/**
 * Request/response towards one service. Callers see only this; the transport behind it
 * (RabbitMQ, or in-process in the modular monolith) is chosen by the host app.
 * Rejects with RpcRemoteError, RpcTimeoutError or RpcUnavailableError.
 */
export abstract class RpcClient {
  abstract send<TResponse, TRequest = unknown>(
    pattern: string,
    request: TRequest,
    options?: RpcCallOptions,
  ): Promise<TResponse>;

  abstract get isReady(): boolean;
}
