import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What travels with one request or message through everything it causes: the correlation id
 * of the originating HTTP request and the id of the message that caused the current work.
 */
export interface MessageContext {
  correlationId: string;
  causationId: string | null;
}

const storage = new AsyncLocalStorage<MessageContext>();

export function runInMessageContext<T>(context: MessageContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentMessageContext(): MessageContext | undefined {
  return storage.getStore();
}

/** Header names on the wire; lower case, as RabbitMQ and HTTP both carry them. */
export const ContextHeaders = {
  correlationId: 'x-correlation-id',
  causationId: 'x-causation-id',
} as const;
