import type { DomainEvent } from '@app/ddd';
import type { UserRole } from './user-role.js';

export class UserRegisteredEvent implements DomainEvent {
  readonly type = 'UserRegistered';
  constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
    readonly email: string,
    readonly name: string,
    readonly role: UserRole,
    readonly creditLimitCents: number,
  ) {}
}
