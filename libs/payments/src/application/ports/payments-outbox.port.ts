import type { DomainEvent } from '@app/ddd';

/**
 * Where the payments context's domain events leave it: the integration events they mean are
 * written to the outbox in the current unit of work, and published once it commits.
 */
export abstract class PaymentsOutbox {
  abstract append(events: readonly DomainEvent[]): Promise<void>;
}
