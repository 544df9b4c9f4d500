/**
 * Something that happened inside an aggregate. `type` is stable and past tense
 * (`UserRegistered`); the infrastructure turns it into an integration event.
 */
export interface DomainEvent {
  readonly type: string;
  readonly aggregateId: string;
  readonly occurredAt: Date;
}
