import type { AnyRpcDefinition, RpcRequestOf, RpcResponseOf } from '@app/contracts';
import { ContextHeaders, SpanKind, currentMessageContext, inSpan, injectTraceContext } from '@app/platform';

/** What a transport's `send` is told besides the request. */
export interface RpcCallOptions {
  timeoutMs?: number;
  /** A query: safe to send again if the first attempt could not be delivered. */
  idempotent?: boolean;
}

/** What a caller may choose per call; whether the RPC is idempotent is its definition's to say. */
export type TypedCallOptions = Pick<RpcCallOptions, 'timeoutMs'>;

/**
 * Request/response towards one service. Callers see only this; the transport behind it
 * (RabbitMQ, or in-process in the modular monolith) is chosen by the host app.
 * Rejects with RpcRemoteError, RpcTimeoutError or RpcUnavailableError.
 */
export abstract class RpcClient {
  /**
   * Calls one RPC: the request and the answer typed by its definition, retried only if the
   * definition says it is idempotent. The answer is not parsed again here: the server built it
   * with a handler whose type its definition fixes, and the contract tests hold its mappers to
   * the response schema.
   */
  call<D extends AnyRpcDefinition>(
    definition: D,
    request: RpcRequestOf<D>,
    options: TypedCallOptions = {},
  ): Promise<RpcResponseOf<D>> {
    return this.send(definition.name, request, { ...options, idempotent: definition.idempotent }) as Promise<
      RpcResponseOf<D>
    >;
  }

  /** The transport's one low-level operation: a request to a pattern, its answer as it came. */
  abstract send(pattern: string, request: unknown, options?: RpcCallOptions): Promise<unknown>;

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
