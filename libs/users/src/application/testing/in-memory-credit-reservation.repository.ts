import { ConcurrencyConflictError } from '@app/ddd';
import { CreditReservation, type CreditReservationState } from '../../domain/index.js';
import type { CreditReservationRepository } from '../ports/credit-reservation.repository.port.js';
import type { InMemoryUnitOfWork } from '@app/ddd';

export class InMemoryCreditReservationRepository implements CreditReservationRepository {
  private rows = new Map<string, CreditReservationState>();

  constructor(private readonly unitOfWork: InMemoryUnitOfWork) {
    unitOfWork.register({
      snapshot: () => new Map(this.rows),
      restore: (rows) => {
        this.rows = rows as typeof this.rows;
      },
    });
  }

  async findByOrderId(orderId: string): Promise<CreditReservation | null> {
    const row = this.rows.get(orderId);
    return row ? CreditReservation.restore(orderId, 1, row) : null;
  }

  async add(reservation: CreditReservation): Promise<boolean> {
    if (this.rows.has(reservation.orderId)) return false;
    this.rows.set(reservation.orderId, stateOf(reservation));
    this.unitOfWork.afterCommit(() => reservation.markPersisted(reservation.version + 1));
    return true;
  }

  async save(reservation: CreditReservation): Promise<void> {
    if (this.rows.get(reservation.orderId)?.status !== 'RESERVED') {
      throw new ConcurrencyConflictError(`credit reservation ${reservation.orderId} was changed by someone else`);
    }
    this.rows.set(reservation.orderId, stateOf(reservation));
    this.unitOfWork.afterCommit(() => reservation.markPersisted(reservation.version + 1));
  }

  stored(orderId: string): CreditReservationState | undefined {
    return this.rows.get(orderId);
  }

  get size(): number {
    return this.rows.size;
  }
}

function stateOf(reservation: CreditReservation): CreditReservationState {
  const { userId, amountCents, status, createdAt, updatedAt } = reservation;
  return { userId, amountCents, status, createdAt, updatedAt };
}
