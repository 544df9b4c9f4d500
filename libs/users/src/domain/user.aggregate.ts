import { AggregateRoot, ValidationFailedError } from '@app/ddd';
import type { Email } from './email.value-object.js';
import type { Name } from './name.value-object.js';
import type { PasswordHash } from './password.value-object.js';
import type { UserRole } from './user-role.js';
import { CreditReservation } from './credit-reservation.aggregate.js';
import { UserProfileUpdatedEvent } from './user-profile-updated.domain-event.js';
import { UserRegisteredEvent } from './user-registered.domain-event.js';

export interface UserState {
  email: Email;
  name: Name;
  passwordHash: PasswordHash;
  role: UserRole;
  creditLimitCents: number;
  creditReservedCents: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface RegisterUserInput {
  id: string;
  email: Email;
  name: Name;
  passwordHash: PasswordHash;
  role: UserRole;
  creditLimitCents: number;
  now: Date;
}

/** A person who can log in and place orders against a credit limit. */
export class User extends AggregateRoot {
  private constructor(
    id: string,
    version: number,
    private state: UserState,
  ) {
    super(id, version);
  }

  static register(input: RegisterUserInput): User {
    if (!Number.isSafeInteger(input.creditLimitCents) || input.creditLimitCents < 0) {
      throw new ValidationFailedError('credit limit must be a non-negative whole number of cents');
    }
    const user = new User(input.id, 0, {
      email: input.email,
      name: input.name,
      passwordHash: input.passwordHash,
      role: input.role,
      creditLimitCents: input.creditLimitCents,
      creditReservedCents: 0,
      createdAt: input.now,
      updatedAt: input.now,
    });
    user.record(
      new UserRegisteredEvent(
        user.id,
        input.now,
        input.email.value,
        input.name.value,
        input.role,
        input.creditLimitCents,
      ),
    );
    return user;
  }

  /** Rebuilds a user from storage; records nothing. */
  static restore(id: string, version: number, state: UserState): User {
    return new User(id, version, { ...state });
  }

  get email(): Email {
    return this.state.email;
  }
  get name(): Name {
    return this.state.name;
  }
  get passwordHash(): PasswordHash {
    return this.state.passwordHash;
  }
  get role(): UserRole {
    return this.state.role;
  }
  get creditLimitCents(): number {
    return this.state.creditLimitCents;
  }
  get creditReservedCents(): number {
    return this.state.creditReservedCents;
  }
  get availableCreditCents(): number {
    return this.state.creditLimitCents - this.state.creditReservedCents;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get updatedAt(): Date {
    return this.state.updatedAt;
  }

  /** Replaces the password hash (a rehash with stronger parameters, or a new password). */
  changePasswordHash(hash: PasswordHash, now: Date): void {
    this.state = { ...this.state, passwordHash: hash, updatedAt: now };
  }

  /** Changes name and/or email; records an event only when something really changed. */
  updateProfile(changes: { name?: Name; email?: Email }, now: Date): void {
    const name = changes.name ?? this.state.name;
    const email = changes.email ?? this.state.email;
    if (name.equals(this.state.name) && email.equals(this.state.email)) return;
    this.state = { ...this.state, name, email, updatedAt: now };
    this.record(new UserProfileUpdatedEvent(this.id, now, email.value, name.value));
  }

  /**
   * Decides an order's credit: reserved when the available credit covers the amount (the
   * reserved total grows by it), else rejected for INSUFFICIENT_CREDIT (the user is unchanged).
   * The decision is the returned reservation, which records the event to publish.
   */
  reserveCredit(orderId: string, amountCents: number, now: Date): CreditReservation {
    assertAmount(amountCents);
    if (amountCents > this.availableCreditCents) {
      return CreditReservation.rejected(orderId, this.id, amountCents, 'INSUFFICIENT_CREDIT', now);
    }
    this.state = { ...this.state, creditReservedCents: this.state.creditReservedCents + amountCents, updatedAt: now };
    return CreditReservation.reserved(orderId, this.id, amountCents, now);
  }

  /**
   * Gives back what an order's reservation holds and marks it RELEASED. A reservation of another
   * user, or one that holds nothing (rejected, already released), changes nothing: false.
   */
  releaseCredit(reservation: CreditReservation, now: Date): boolean {
    if (reservation.userId !== this.id || !reservation.isReserved) return false;
    if (reservation.amountCents > this.state.creditReservedCents) {
      throw new Error(
        `cannot release ${reservation.amountCents} cents: only ${this.state.creditReservedCents} reserved`,
      );
    }
    reservation.release(now);
    this.state = {
      ...this.state,
      creditReservedCents: this.state.creditReservedCents - reservation.amountCents,
      updatedAt: now,
    };
    return true;
  }
}

function assertAmount(amountCents: number): void {
  if (!Number.isSafeInteger(amountCents) || amountCents < 0) {
    throw new ValidationFailedError('an amount must be a non-negative whole number of cents');
  }
}
