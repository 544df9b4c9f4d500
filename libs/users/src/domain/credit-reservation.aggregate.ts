import { AggregateRoot } from '@app/ddd';
import { CreditRejectedEvent, type CreditRejectionReason } from './credit-rejected.domain-event.js';
import { CreditReleasedEvent } from './credit-released.domain-event.js';
import { CreditReservedEvent } from './credit-reserved.domain-event.js';

export type CreditReservationStatus = 'RESERVED' | 'RELEASED' | 'REJECTED';

export interface CreditReservationState {
  userId: string;
  amountCents: number;
  status: CreditReservationStatus;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The users service's decision on one order's credit, identified by the order's id, so it is
 * taken once however often the order is delivered. RESERVED holds part of its user's credit
 * until it is RELEASED; REJECTED and RELEASED are final. Credit is reserved and released through
 * the User (`reserveCredit`, `releaseCredit`), whose reserved total moves with its reservations.
 */
export class CreditReservation extends AggregateRoot {
  private constructor(
    orderId: string,
    version: number,
    private state: CreditReservationState,
  ) {
    super(orderId, version);
  }

  /** The user's available credit covered the order: records CreditReserved. Use `User.reserveCredit`. */
  static reserved(orderId: string, userId: string, amountCents: number, now: Date): CreditReservation {
    const reservation = CreditReservation.create(orderId, userId, amountCents, 'RESERVED', now);
    reservation.record(new CreditReservedEvent(orderId, now, userId, amountCents));
    return reservation;
  }

  /** The order cannot have credit: records CreditRejected with the reason. */
  static rejected(
    orderId: string,
    userId: string,
    amountCents: number,
    reason: CreditRejectionReason,
    now: Date,
  ): CreditReservation {
    const reservation = CreditReservation.create(orderId, userId, amountCents, 'REJECTED', now);
    reservation.record(new CreditRejectedEvent(orderId, now, userId, amountCents, reason));
    return reservation;
  }

  /** The order names a user that does not exist. */
  static rejectForUnknownUser(orderId: string, userId: string, amountCents: number, now: Date): CreditReservation {
    return CreditReservation.rejected(orderId, userId, amountCents, 'USER_NOT_FOUND', now);
  }

  /**
   * The order was cancelled before its credit was decided: a RELEASED mark of nothing, so the
   * placement, when it arrives late, finds the decision taken and reserves nothing.
   */
  static cancelledBeforeDecision(orderId: string, userId: string, now: Date): CreditReservation {
    return CreditReservation.create(orderId, userId, 0, 'RELEASED', now);
  }

  /** Rebuilds a reservation from storage; records nothing. */
  static restore(orderId: string, version: number, state: CreditReservationState): CreditReservation {
    return new CreditReservation(orderId, version, { ...state });
  }

  private static create(
    orderId: string,
    userId: string,
    amountCents: number,
    status: CreditReservationStatus,
    now: Date,
  ): CreditReservation {
    return new CreditReservation(orderId, 0, { userId, amountCents, status, createdAt: now, updatedAt: now });
  }

  get orderId(): string {
    return this.id;
  }
  get userId(): string {
    return this.state.userId;
  }
  get amountCents(): number {
    return this.state.amountCents;
  }
  get status(): CreditReservationStatus {
    return this.state.status;
  }
  get isReserved(): boolean {
    return this.state.status === 'RESERVED';
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get updatedAt(): Date {
    return this.state.updatedAt;
  }

  /**
   * RESERVED → RELEASED, recording CreditReleased; anything else is left as it is (false). Use
   * `User.releaseCredit`, which gives the amount back to the user in the same step.
   */
  release(now: Date): boolean {
    if (this.state.status !== 'RESERVED') return false;
    this.state = { ...this.state, status: 'RELEASED', updatedAt: now };
    this.record(new CreditReleasedEvent(this.id, now, this.state.userId, this.state.amountCents));
    return true;
  }
}
