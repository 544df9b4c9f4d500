import { ContextHeaders, SpanKind, currentMessageContext, inSpan, injectTraceContext } from '@app/platform';

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

/** The client span of one call, named and tagged the same whatever the transport. */
export function inClientSpan<T>(pattern: string, queue: string, call: () => Promise<T>): Promise<T> {
  return inSpan(
    `RPC ${pattern}`,
    SpanKind.CLIENT,
    { 'rpc.method': pattern, 'messaging.destination.name': queue },
    call,
  );
}

/**
 * What a request carries to the server: the caller's correlation id (else the request's own
 * id), its causation id, and the trace context of the active client span.
 */
export function rpcRequestHeaders(requestId: string): Record<string, unknown> {
  const context = currentMessageContext();
  const headers: Record<string, unknown> = {
    [ContextHeaders.correlationId]: context?.correlationId ?? requestId,
    [ContextHeaders.causationId]: context?.causationId ?? null,
  };
  injectTraceContext(headers);
  return headers;
}
