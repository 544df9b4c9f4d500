import type { DomainEvent } from '@app/ddd';

export class UserProfileUpdatedEvent implements DomainEvent {
  readonly type = 'UserProfileUpdated';
  constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
    readonly email: string,
    readonly name: string,
  ) {}
}
