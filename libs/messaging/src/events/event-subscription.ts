import type { EventDefinition, IntegrationEvent } from '@app/contracts';

/**
 * One integration event a context consumes, and what it does with it. `handle` runs inside
 * the transaction that also records the message in the inbox, after the payload was checked
 * against `event.schema`.
 */
export interface EventSubscription {
  event: EventDefinition<unknown>;
  handle: (event: IntegrationEvent<unknown>) => Promise<void>;
}

/** Typed by the event's schema here; stored untyped, since the consumer validates first. */
export function subscribe<TPayload>(
  event: EventDefinition<TPayload>,
  handle: (event: IntegrationEvent<TPayload>) => Promise<void>,
): EventSubscription {
  return { event, handle } as unknown as EventSubscription;
}
