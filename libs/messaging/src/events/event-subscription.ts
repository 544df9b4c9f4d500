import type { EventDefinition, IntegrationEvent } from '@app/contracts';

/**
 * One integration event a context consumes, and what it does with it. `handle` runs inside
 * the transaction that also records the message in the inbox, after the payload was checked
 * against `event.schema`. Events with the same `orderingKey` are handled one after another,
 * in arrival order (events without one, in any order): a handler that locks rows of, say, one
 * user keys by that user, so concurrent batches never wait on each other's locks.
 */
export interface EventSubscription {
  event: EventDefinition<unknown>;
  handle: (event: IntegrationEvent<unknown>) => Promise<void>;
  orderingKey?: (payload: unknown) => string;
}

/** Typed by the event's schema here; stored untyped, since the consumer validates first. */
export function subscribe<TPayload>(
  event: EventDefinition<TPayload>,
  handle: (event: IntegrationEvent<TPayload>) => Promise<void>,
  options: { orderingKey?: (payload: TPayload) => string } = {},
): EventSubscription {
  return { event, handle, ...options } as unknown as EventSubscription;
}

/** The key that decides which events share a lane: the subscription's, else the event's own id. */
export function orderingKeyOf(subscription: EventSubscription, event: IntegrationEvent<unknown>): string {
  return subscription.orderingKey?.(event.payload) ?? event.id;
}
