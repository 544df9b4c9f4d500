import { MessagePattern, type MessageHandler } from '@nestjs/microservices';
import type { AnyRpcDefinition, RpcRequestOf, RpcResponseOf } from '@app/contracts';

const DEFINITION = 'rpcDefinition';

/** The method an RPC handler must be: its definition's request in, its response out. */
type HandlerOf<D extends AnyRpcDefinition> = (
  request: RpcRequestOf<D>,
  ...rest: never[]
) => RpcResponseOf<D> | Promise<RpcResponseOf<D>>;

/**
 * Marks the method that answers one RPC, on every transport. The transport-neutral dispatch
 * parses the request with the definition's schema before the method runs (an invalid one never
 * reaches it), so the method receives the typed request; the compiler holds its signature to the
 * definition's request and response types.
 */
export function RpcHandler<D extends AnyRpcDefinition>(definition: D) {
  // `{ value?: ... }` rather than TypedPropertyDescriptor, which is invariant: the method must be
  // assignable to the handler type (take the request, answer the response), not the reverse.
  return (target: object, key: string | symbol, descriptor: { value?: HandlerOf<D> }): void => {
    MessagePattern(definition.name, { [DEFINITION]: definition })(
      target,
      key,
      descriptor as TypedPropertyDescriptor<HandlerOf<D>>,
    );
  };
}

/** The definition a handler was registered with by `@RpcHandler`; undefined for a bare `@MessagePattern`. */
export function rpcDefinitionOf(handler: MessageHandler): AnyRpcDefinition | undefined {
  return (handler.extras as Record<string, AnyRpcDefinition | undefined> | undefined)?.[DEFINITION];
}
