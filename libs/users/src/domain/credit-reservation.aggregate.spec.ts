import { describe, expect, it } from '@jest/globals';
import { CreditRejectedEvent } from './credit-rejected.domain-event.js';
import { CreditReservation } from './credit-reservation.aggregate.js';

const orderId = '5d3c8f2e-7a41-4b9e-8c1d-2f6e9a0b7c33';
const userId = '0b7e0d5e-2a51-4c3f-9d0c-7c7c6b1f4e11';
const now = new Date('2026-01-01T00:00:00Z');

describe('CreditReservation', () => {
  it('rejects an order of an unknown user with USER_NOT_FOUND and records CreditRejected', () => {
    const reservation = CreditReservation.rejectForUnknownUser(orderId, userId, 2500, now);
    expect(reservation).toMatchObject({ orderId, userId, amountCents: 2500, status: 'REJECTED', isReserved: false });
    expect(reservation.isNew).toBe(true);
    const [event] = reservation.uncommittedEvents;
    expect(event).toBeInstanceOf(CreditRejectedEvent);
    expect(event).toEqual(new CreditRejectedEvent(orderId, now, userId, 2500, 'USER_NOT_FOUND'));
  });

  it('marks an order cancelled before its decision as RELEASED of nothing, publishing nothing', () => {
    const mark = CreditReservation.cancelledBeforeDecision(orderId, userId, now);
    expect(mark).toMatchObject({ orderId, userId, amountCents: 0, status: 'RELEASED', createdAt: now, updatedAt: now });
    expect(mark.uncommittedEvents).toEqual([]);
  });

  it.each([
    ['a rejected', () => CreditReservation.rejectForUnknownUser(orderId, userId, 100, now)],
    ['a cancellation mark', () => CreditReservation.cancelledBeforeDecision(orderId, userId, now)],
  ])('never releases %s reservation', (_, build) => {
    const reservation = build();
    reservation.markPersisted(1);
    const before = reservation.status;
    expect(reservation.release(new Date('2026-01-02T00:00:00Z'))).toBe(false);
    expect(reservation.status).toBe(before);
    expect(reservation.updatedAt).toEqual(now);
    expect(reservation.uncommittedEvents).toEqual([]);
  });

  it('restores from storage without recording events', () => {
    const restored = CreditReservation.restore(orderId, 1, {
      userId,
      amountCents: 700,
      status: 'RESERVED',
      createdAt: now,
      updatedAt: now,
    });
    expect(restored).toMatchObject({ orderId, userId, amountCents: 700, status: 'RESERVED', isReserved: true });
    expect(restored.isNew).toBe(false);
    expect(restored.uncommittedEvents).toEqual([]);
  });
});
