import type { z } from 'zod';

/** The services that answer RPCs; each has one RPC queue (AMQP) and one gRPC service. */
export type RpcService = 'users' | 'orders' | 'payments';

/**
 * Everything about one RPC, defined once: every transport, the typed client call, the server's
 * parse at its edge, the generated `.proto` and the contract tests all read it.
 *
 * - `name` is the transport-neutral route (`users.get`): the AMQP message type, the in-process
 *   route, the metrics label and the span name.
 * - `grpcMethod` is its method in the service's gRPC service (`GetUser` in `user.UserService`).
 * - `request` is parsed by the server before its handler runs (an invalid request is answered
 *   `VALIDATION_FAILED` with dotted field paths, `items.1.sku`); `response` is what the handler
 *   returns and the client receives.
 * - `idempotent`: a query, safe to send again when an attempt fails before an answer.
 */
export interface RpcDefinition<TRequest, TResponse> {
  readonly service: RpcService;
  readonly name: string;
  readonly grpcMethod: string;
  readonly request: z.ZodType<TRequest>;
  readonly response: z.ZodType<TResponse>;
  readonly idempotent: boolean;
}

export type RpcRequestOf<D> = D extends RpcDefinition<infer TRequest, unknown> ? TRequest : never;
export type RpcResponseOf<D> = D extends RpcDefinition<unknown, infer TResponse> ? TResponse : never;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRpcDefinition = RpcDefinition<any, any>;

export function defineRpc<TRequest, TResponse>(
  definition: RpcDefinition<TRequest, TResponse>,
): RpcDefinition<TRequest, TResponse> {
  return Object.freeze({ ...definition });
}

/** The gRPC service of each RPC service (package and service name in its `.proto`). */
export const GrpcServices: Readonly<Record<RpcService, string>> = {
  users: 'user.UserService',
  orders: 'order.OrderService',
  payments: 'payment.PaymentService',
};
