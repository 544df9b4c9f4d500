import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Payment } from './payment.aggregate.js';
import type { PaymentStatus } from './payment-status.js';

const t0 = new Date('2026-03-01T10:00:00.000Z');
const t1 = new Date('2026-03-01T10:00:01.000Z');
const later = new Date('2026-03-01T10:00:05.000Z');

function requested(): Payment {
  const payment = Payment.request({
    id: randomUUID(),
    orderId: randomUUID(),
    userId: randomUUID(),
    amountCents: 5998,
    currency: 'EUR',
    now: t0,
  });
  payment.markPersisted(1);
  return payment;
}

/** As the processor's claim leaves it: one provider call begun. */
function attempted(payment: Payment): Payment {
  return Payment.restore(payment.id, payment.version + 1, {
    orderId: payment.orderId,
    userId: payment.userId,
    amountCents: payment.amountCents,
    currency: payment.currency,
    status: payment.status,
    providerChargeId: payment.providerChargeId,
    declineReason: payment.declineReason,
    attempts: payment.attempts + 1,
    nextAttemptAt: payment.nextAttemptAt,
    capturedCents: payment.capturedCents,
    refundedCents: payment.refundedCents,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
  });
}

function settle(payment: Payment): Payment {
  payment.markPersisted(payment.version + 1);
  return payment;
}

/** A payment in each status the saga can leave it in (VOIDED both with and without a call begun). */
const IN: Record<string, () => Payment> = {
  PENDING: requested,
  CAPTURED: () => {
    const p = attempted(requested());
    p.recordCapture('ch-1', t1);
    return settle(p);
  },
  DECLINED: () => {
    const p = attempted(requested());
    p.recordDecline('AMOUNT_OVER_LIMIT', t1);
    return settle(p);
  },
  'VOIDED (no call begun)': () => {
    const p = requested();
    p.compensate(t1);
    return settle(p);
  },
  'VOIDED (a call begun)': () => {
    const p = attempted(requested());
    p.compensate(t1);
    return settle(p);
  },
  'VOIDED (tombstone)': () =>
    settle(Payment.voidBeforeRequest({ id: randomUUID(), orderId: randomUUID(), userId: randomUUID(), now: t0 })),
  REFUND_PENDING: () => {
    const p = settle(IN.CAPTURED!());
    p.compensate(t1);
    return settle(p);
  },
  REFUNDED: () => {
    const p = settle(IN.REFUND_PENDING!());
    p.recordRefund(5998, t1);
    return settle(p);
  },
};

type Outcome = { changed: boolean; status: PaymentStatus; events: string[]; due: boolean };

function act(start: string, message: (p: Payment) => boolean): Outcome {
  const payment = IN[start]!();
  const changed = message(payment);
  return {
    changed,
    status: payment.status,
    events: payment.uncommittedEvents.map((event) => event.type),
    due: payment.nextAttemptAt !== null,
  };
}

const same = (status: PaymentStatus, due = false): Outcome => ({ changed: false, status, events: [], due });

describe('Payment', () => {
  it('is requested PENDING, due at once, with keys derived from the order alone', () => {
    const payment = requested();
    expect(payment.status).toBe('PENDING');
    expect(payment.nextAttemptAt).toEqual(t0);
    expect(payment.providerWork).toBe('capture');
    expect(payment.captureKey).toBe(`capture:${payment.orderId}`);
    expect(payment.refundKey).toBe(`refund:${payment.orderId}`);
    expect(payment.uncommittedEvents).toEqual([]);
  });

  it('refuses a request for no money', () => {
    const input = { id: randomUUID(), orderId: randomUUID(), userId: randomUUID(), currency: 'EUR', now: t0 };
    expect(() => Payment.request({ ...input, amountCents: 0 })).toThrow('amountCents must be a positive');
    expect(() => Payment.request({ ...input, amountCents: 1.5 })).toThrow('amountCents must be a positive');
  });

  it('voids before any request as a tombstone with nothing to ask the provider', () => {
    const payment = IN['VOIDED (tombstone)']!();
    expect([payment.status, payment.amountCents, payment.currency, payment.providerWork]).toEqual([
      'VOIDED',
      0,
      'XXX',
      null,
    ]);
  });

  describe.each([
    ['PENDING', { changed: true, status: 'VOIDED', events: ['PaymentVoided'], due: false }],
    ['CAPTURED', { changed: true, status: 'REFUND_PENDING', events: [], due: true }],
    ['DECLINED', same('DECLINED')],
    ['VOIDED (no call begun)', same('VOIDED')],
    ['VOIDED (a call begun)', same('VOIDED', true)],
    ['VOIDED (tombstone)', same('VOIDED')],
    ['REFUND_PENDING', same('REFUND_PENDING', true)],
    ['REFUNDED', same('REFUNDED')],
  ] as [string, Outcome][])('compensate, when %s', (start, expected) => {
    it(`→ ${expected.status}`, () => expect(act(start, (p) => p.compensate(later))).toEqual(expected));
  });

  it('compensating a PENDING payment whose provider call was begun keeps it due, to refund what it may have charged', () => {
    const payment = attempted(requested());
    expect(payment.compensate(later)).toBe(true);
    expect([payment.status, payment.providerWork]).toEqual(['VOIDED', 'refund']);
  });

  describe.each([
    ['PENDING', { changed: true, status: 'CAPTURED', events: ['PaymentCaptured'], due: false }],
    ['CAPTURED', same('CAPTURED')],
    ['DECLINED', same('DECLINED')],
    ['VOIDED (no call begun)', { changed: true, status: 'REFUND_PENDING', events: [], due: true }],
    ['VOIDED (a call begun)', { changed: true, status: 'REFUND_PENDING', events: [], due: true }],
    ['REFUND_PENDING', same('REFUND_PENDING', true)],
    ['REFUNDED', same('REFUNDED')],
  ] as [string, Outcome][])('a capture answer, when %s', (start, expected) => {
    it(`→ ${expected.status}`, () => expect(act(start, (p) => p.recordCapture('ch-late', later))).toEqual(expected));
  });

  it('records what was captured, and the event carries the order and amount', () => {
    const payment = attempted(requested());
    payment.recordCapture('ch-9', t1);
    expect([payment.capturedCents, payment.providerChargeId]).toEqual([5998, 'ch-9']);
    expect(payment.uncommittedEvents[0]).toMatchObject({
      orderId: payment.orderId,
      amountCents: 5998,
      currency: 'EUR',
    });
  });

  describe.each([
    ['PENDING', { changed: true, status: 'DECLINED', events: ['PaymentDeclined'], due: false }],
    ['CAPTURED', same('CAPTURED')],
    ['DECLINED', same('DECLINED')],
    ['VOIDED (no call begun)', same('VOIDED')],
    ['VOIDED (a call begun)', { changed: true, status: 'VOIDED', events: ['PaymentVoided'], due: false }],
    ['REFUND_PENDING', same('REFUND_PENDING', true)],
    ['REFUNDED', same('REFUNDED')],
  ] as [string, Outcome][])('a decline answer, when %s', (start, expected) => {
    it(`→ ${expected.status}`, () =>
      expect(act(start, (p) => p.recordDecline('CUSTOMER_LIMIT_EXCEEDED', later))).toEqual(expected));
  });

  describe.each([
    ['PENDING', same('PENDING', true)],
    ['CAPTURED', same('CAPTURED')],
    ['DECLINED', same('DECLINED')],
    ['VOIDED (no call begun)', same('VOIDED')],
    ['VOIDED (a call begun)', { changed: true, status: 'REFUNDED', events: ['PaymentRefunded'], due: false }],
    ['REFUND_PENDING', { changed: true, status: 'REFUNDED', events: ['PaymentRefunded'], due: false }],
    ['REFUNDED', same('REFUNDED')],
  ] as [string, Outcome][])('a refund answer giving money back, when %s', (start, expected) => {
    it(`→ ${expected.status}`, () => expect(act(start, (p) => p.recordRefund(5998, later))).toEqual(expected));
  });

  it('a voided payment whose call had charged after all ends REFUNDED, captured and refunded alike', () => {
    const payment = IN['VOIDED (a call begun)']!();
    payment.recordRefund(5998, later);
    expect([payment.capturedCents, payment.refundedCents]).toEqual([5998, 5998]);
  });

  it('a voided payment the provider never charged stays VOIDED with nothing left to ask, and says so', () => {
    expect(act('VOIDED (a call begun)', (p) => p.recordRefund(0, later))).toEqual({
      changed: true,
      status: 'VOIDED',
      events: ['PaymentVoided'],
      due: false,
    });
  });

  describe.each([
    ['PENDING', { changed: true, status: 'PENDING', events: [], due: true }],
    ['CAPTURED', same('CAPTURED')],
    ['DECLINED', same('DECLINED')],
    ['VOIDED (no call begun)', same('VOIDED')],
    ['VOIDED (a call begun)', { changed: true, status: 'VOIDED', events: [], due: true }],
    ['REFUND_PENDING', { changed: true, status: 'REFUND_PENDING', events: [], due: true }],
    ['REFUNDED', same('REFUNDED')],
  ] as [string, Outcome][])('the provider unavailable, when %s', (start, expected) => {
    it(`→ ${expected.status}, asked again later`, () => {
      const retryAt = new Date('2026-03-01T10:01:00.000Z');
      const payment = IN[start]!();
      const outcome = act(start, (p) => p.recordProviderUnavailable(retryAt, later));
      expect(outcome).toEqual(expected);
      if (expected.changed) {
        payment.recordProviderUnavailable(retryAt, later);
        expect(payment.nextAttemptAt).toEqual(retryAt);
      }
    });
  });
});
