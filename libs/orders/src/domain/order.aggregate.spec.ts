import { describe, expect, it } from '@jest/globals';
import { ValidationFailedError } from '@app/ddd';
import { Currency } from './currency.value-object.js';
import { OrderLine } from './order-line.value-object.js';
import type { OrderPaymentStatus } from './order-payment-status.js';
import type { OrderStatus } from './order-status.js';
import { Order } from './order.aggregate.js';
import { OrderNotCancellableError } from './order.errors.js';
import { OrderCancelledEvent } from './order-cancelled.domain-event.js';
import { OrderConfirmedEvent } from './order-confirmed.domain-event.js';
import { OrderPlacedEvent } from './order-placed.domain-event.js';
import { OrderRejectedEvent } from './order-rejected.domain-event.js';
import { PaymentRequestedEvent } from './payment-requested.domain-event.js';

const orderId = '5d3c8f2e-7a41-4b9e-8c1d-2f6e9a0b7c33';
const userId = '0b7e0d5e-2a51-4c3f-9d0c-7c7c6b1f4e11';
const placedAt = new Date('2026-01-01T00:00:00Z');
const later = new Date('2026-01-01T00:05:00Z');
const usd = Currency.create('USD');

function line(sku: string, quantity: number, unitPriceCents: number): OrderLine {
  return OrderLine.create({ sku, quantity, unitPriceCents });
}

function aPlacedOrder(): Order {
  return Order.place({
    id: orderId,
    userId,
    lines: [line('BOOK-1', 3, 1999), line('PEN', 1, 1)],
    currency: usd,
    now: placedAt,
  });
}

function anOrderIn(status: OrderStatus, paymentStatus: OrderPaymentStatus = 'NOT_REQUESTED'): Order {
  return Order.restore(orderId, 2, {
    userId,
    lines: [line('BOOK-1', 3, 1999), line('PEN', 1, 1)],
    currency: usd,
    totalCents: 5998,
    status,
    rejectionReason: status === 'REJECTED' ? 'INSUFFICIENT_CREDIT' : null,
    paymentStatus,
    createdAt: placedAt,
    updatedAt: placedAt,
  });
}

type Action =
  | 'requestPayment'
  | 'confirm'
  | 'reject'
  | 'rejectPaymentDeclined'
  | 'paymentRefunded'
  | 'cancel'
  | 'expireAfterTimeout';

function act(order: Order, action: Action): boolean {
  switch (action) {
    case 'requestPayment':
      return order.requestPayment(later);
    case 'confirm':
      return order.confirm(later);
    case 'reject':
      return order.reject('INSUFFICIENT_CREDIT', later);
    case 'rejectPaymentDeclined':
      return order.rejectPaymentDeclined(later);
    case 'paymentRefunded':
      return order.paymentRefunded(later);
    case 'cancel':
      return order.cancel(later);
    case 'expireAfterTimeout':
      return order.expireAfterTimeout(later);
  }
}

function rejectedWith(code: string, action: () => unknown): void {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect((error as ValidationFailedError).details).toEqual({ fields: [{ field: 'items', message: code }] });
    return;
  }
  throw new Error('expected a validation error');
}

describe('Order', () => {
  describe('placing', () => {
    it('computes the total exactly from its lines and starts PENDING', () => {
      const order = aPlacedOrder();
      expect(order.totalCents).toBe(5998);
      expect(order.status).toBe('PENDING');
      expect(order.isSettled).toBe(false);
      expect(order.rejectionReason).toBeNull();
      expect(order.userId).toBe(userId);
      expect(order.currency.value).toBe('USD');
      expect(order.lines.map((l) => l.toPrimitives())).toEqual([
        { sku: 'BOOK-1', quantity: 3, unitPriceCents: 1999 },
        { sku: 'PEN', quantity: 1, unitPriceCents: 1 },
      ]);
      expect(order.createdAt).toEqual(placedAt);
      expect(order.updatedAt).toEqual(placedAt);
      expect(order.isNew).toBe(true);
    });

    it('records OrderPlaced with the total, currency and lines as primitives', () => {
      const order = aPlacedOrder();
      const events = order.uncommittedEvents;
      expect(events).toHaveLength(1);
      expect(events[0]).toBeInstanceOf(OrderPlacedEvent);
      expect(events[0]).toEqual({
        type: 'OrderPlaced',
        aggregateId: orderId,
        occurredAt: placedAt,
        userId,
        totalCents: 5998,
        currency: 'USD',
        lines: [
          { sku: 'BOOK-1', quantity: 3, unitPriceCents: 1999 },
          { sku: 'PEN', quantity: 1, unitPriceCents: 1 },
        ],
      });
    });

    it('rejects an order without lines', () => {
      rejectedWith('must have 1 to 100 lines', () =>
        Order.place({ id: orderId, userId, lines: [], currency: usd, now: placedAt }),
      );
    });

    it('rejects an order with 101 lines', () => {
      const lines = Array.from({ length: 101 }, (_, i) => line(`SKU-${i}`, 1, 1));
      rejectedWith('must have 1 to 100 lines', () =>
        Order.place({ id: orderId, userId, lines, currency: usd, now: placedAt }),
      );
    });

    it('accepts exactly 100 lines and keeps the largest possible total exact', () => {
      const lines = Array.from({ length: 100 }, (_, i) => line(`SKU-${i}`, 10_000, 100_000_000));
      const order = Order.place({ id: orderId, userId, lines, currency: usd, now: placedAt });
      expect(order.totalCents).toBe(100_000_000_000_000);
      expect(Number.isSafeInteger(order.totalCents)).toBe(true);
      expect((order.uncommittedEvents[0] as OrderPlacedEvent).totalCents).toBe(100_000_000_000_000);
    });

    it('does not let the caller change its lines after placing', () => {
      const lines = [line('A', 1, 1)];
      const order = Order.place({ id: orderId, userId, lines, currency: usd, now: placedAt });
      lines.push(line('B', 1, 1));
      expect(order.lines).toHaveLength(1);
      expect(order.totalCents).toBe(1);
    });
  });

  it('restores from storage without recording events', () => {
    const order = anOrderIn('CONFIRMED');
    expect(order.version).toBe(2);
    expect(order.isNew).toBe(false);
    expect(order.status).toBe('CONFIRMED');
    expect(order.uncommittedEvents).toEqual([]);
  });

  describe('status machine', () => {
    type State = `${OrderStatus}/${OrderPaymentStatus}`;
    const X = 'throws';
    // Every state the saga can leave an order in, times every message or request that can reach it.
    it.each<[State, Action, State, string[], boolean | typeof X]>([
      ['PENDING/NOT_REQUESTED', 'requestPayment', 'PENDING/REQUESTED', ['PaymentRequested'], true],
      ['PENDING/NOT_REQUESTED', 'confirm', 'PENDING/NOT_REQUESTED', [], false],
      ['PENDING/NOT_REQUESTED', 'reject', 'REJECTED/NOT_REQUESTED', ['OrderRejected'], true],
      ['PENDING/NOT_REQUESTED', 'rejectPaymentDeclined', 'PENDING/NOT_REQUESTED', [], false],
      ['PENDING/NOT_REQUESTED', 'paymentRefunded', 'PENDING/NOT_REQUESTED', [], false],
      ['PENDING/NOT_REQUESTED', 'cancel', 'CANCELLED/NOT_REQUESTED', ['OrderCancelled'], true],
      [
        'PENDING/NOT_REQUESTED',
        'expireAfterTimeout',
        'REJECTED/NOT_REQUESTED',
        ['OrderRejected', 'OrderCancelled'],
        true,
      ],
      ['PENDING/REQUESTED', 'requestPayment', 'PENDING/REQUESTED', [], false],
      ['PENDING/REQUESTED', 'confirm', 'CONFIRMED/CAPTURED', ['OrderConfirmed'], true],
      ['PENDING/REQUESTED', 'reject', 'REJECTED/REQUESTED', ['OrderRejected'], true],
      ['PENDING/REQUESTED', 'rejectPaymentDeclined', 'REJECTED/DECLINED', ['OrderRejected', 'OrderCancelled'], true],
      ['PENDING/REQUESTED', 'paymentRefunded', 'PENDING/REFUNDED', [], true],
      ['PENDING/REQUESTED', 'cancel', 'CANCELLED/REQUESTED', ['OrderCancelled'], true],
      ['PENDING/REQUESTED', 'expireAfterTimeout', 'REJECTED/REQUESTED', ['OrderRejected', 'OrderCancelled'], true],
      ['CONFIRMED/CAPTURED', 'requestPayment', 'CONFIRMED/CAPTURED', [], false],
      ['CONFIRMED/CAPTURED', 'confirm', 'CONFIRMED/CAPTURED', [], false],
      ['CONFIRMED/CAPTURED', 'reject', 'CONFIRMED/CAPTURED', [], false],
      ['CONFIRMED/CAPTURED', 'rejectPaymentDeclined', 'CONFIRMED/CAPTURED', [], false],
      ['CONFIRMED/CAPTURED', 'paymentRefunded', 'CONFIRMED/REFUNDED', [], true],
      ['CONFIRMED/CAPTURED', 'cancel', 'CANCELLED/CAPTURED', ['OrderCancelled'], true],
      ['CONFIRMED/CAPTURED', 'expireAfterTimeout', 'CONFIRMED/CAPTURED', [], false],
      ['REJECTED/REQUESTED', 'requestPayment', 'REJECTED/REQUESTED', [], false],
      ['REJECTED/REQUESTED', 'confirm', 'REJECTED/REQUESTED', [], false],
      ['REJECTED/REQUESTED', 'rejectPaymentDeclined', 'REJECTED/REQUESTED', [], false],
      ['REJECTED/REQUESTED', 'paymentRefunded', 'REJECTED/REFUNDED', [], true],
      ['REJECTED/REQUESTED', 'cancel', 'REJECTED/REQUESTED', [], X],
      ['REJECTED/REQUESTED', 'expireAfterTimeout', 'REJECTED/REQUESTED', [], false],
      ['REJECTED/DECLINED', 'confirm', 'REJECTED/DECLINED', [], false],
      ['REJECTED/DECLINED', 'rejectPaymentDeclined', 'REJECTED/DECLINED', [], false],
      ['REJECTED/DECLINED', 'paymentRefunded', 'REJECTED/DECLINED', [], false],
      ['REJECTED/NOT_REQUESTED', 'requestPayment', 'REJECTED/NOT_REQUESTED', [], false],
      ['REJECTED/NOT_REQUESTED', 'reject', 'REJECTED/NOT_REQUESTED', [], false],
      ['CANCELLED/NOT_REQUESTED', 'requestPayment', 'CANCELLED/NOT_REQUESTED', [], false],
      ['CANCELLED/NOT_REQUESTED', 'reject', 'CANCELLED/NOT_REQUESTED', [], false],
      ['CANCELLED/NOT_REQUESTED', 'paymentRefunded', 'CANCELLED/NOT_REQUESTED', [], false],
      ['CANCELLED/REQUESTED', 'confirm', 'CANCELLED/REQUESTED', [], false],
      ['CANCELLED/REQUESTED', 'rejectPaymentDeclined', 'CANCELLED/REQUESTED', [], false],
      ['CANCELLED/REQUESTED', 'paymentRefunded', 'CANCELLED/REFUNDED', [], true],
      ['CANCELLED/CAPTURED', 'confirm', 'CANCELLED/CAPTURED', [], false],
      ['CANCELLED/CAPTURED', 'paymentRefunded', 'CANCELLED/REFUNDED', [], true],
      ['CANCELLED/CAPTURED', 'cancel', 'CANCELLED/CAPTURED', [], false],
      ['CANCELLED/CAPTURED', 'expireAfterTimeout', 'CANCELLED/CAPTURED', [], false],
      ['CANCELLED/REFUNDED', 'paymentRefunded', 'CANCELLED/REFUNDED', [], false],
      ['CANCELLED/REFUNDED', 'confirm', 'CANCELLED/REFUNDED', [], false],
    ])('%s + %s → %s, records %j, answers %p', (from, action, to, eventTypes, outcome) => {
      const [fromStatus, fromPayment] = from.split('/') as [OrderStatus, OrderPaymentStatus];
      const order = anOrderIn(fromStatus, fromPayment);
      if (outcome === X) {
        expect(() => act(order, action)).toThrow(OrderNotCancellableError);
      } else {
        expect(act(order, action)).toBe(outcome);
      }
      expect(`${order.status}/${order.paymentStatus}`).toBe(to);
      expect(order.isSettled).toBe(order.status !== 'PENDING');
      expect(order.uncommittedEvents.map((event) => event.type)).toEqual(eventTypes);
      expect(order.updatedAt).toEqual(outcome === true ? later : placedAt);
    });

    it('asks for the payment of the total once the credit is reserved, and only once', () => {
      const order = aPlacedOrder();
      order.markPersisted(1);
      expect(order.requestPayment(later)).toBe(true);
      expect(order.requestPayment(new Date('2026-01-02T00:00:00Z'))).toBe(false);
      expect(order.paymentStatus).toBe('REQUESTED');
      expect(order.status).toBe('PENDING');
      expect(order.uncommittedEvents).toEqual([new PaymentRequestedEvent(orderId, later, userId, 5998, 'USD')]);
      expect(order.updatedAt).toEqual(later);
    });

    it('confirms on the capture and records OrderConfirmed with the user and total', () => {
      const order = anOrderIn('PENDING', 'REQUESTED');
      expect(order.confirm(later)).toBe(true);
      expect(order.paymentStatus).toBe('CAPTURED');
      const [event] = order.uncommittedEvents;
      expect(event).toBeInstanceOf(OrderConfirmedEvent);
      expect(event).toMatchObject({ aggregateId: orderId, occurredAt: later, userId, totalCents: 5998 });
    });

    it('ignores a redelivered capture', () => {
      const order = aPlacedOrder();
      order.requestPayment(placedAt);
      expect(order.confirm(later)).toBe(true);
      expect(order.confirm(new Date('2026-01-02T00:00:00Z'))).toBe(false);
      expect(order.uncommittedEvents.map((event) => event.type)).toEqual([
        'OrderPlaced',
        'PaymentRequested',
        'OrderConfirmed',
      ]);
      expect(order.updatedAt).toEqual(later);
    });

    it('rejects a declined payment as PAYMENT_DECLINED and tells the users service to release the credit', () => {
      const order = anOrderIn('PENDING', 'REQUESTED');
      expect(order.rejectPaymentDeclined(later)).toBe(true);
      expect(order.rejectionReason).toBe('PAYMENT_DECLINED');
      expect(order.paymentStatus).toBe('DECLINED');
      expect(order.uncommittedEvents).toEqual([
        new OrderRejectedEvent(orderId, later, userId, 'PAYMENT_DECLINED'),
        new OrderCancelledEvent(orderId, later, userId, 5998, 'PENDING', 'PAYMENT_DECLINED'),
      ]);
    });

    it('ignores a decline delivered twice', () => {
      const order = anOrderIn('PENDING', 'REQUESTED');
      expect(order.rejectPaymentDeclined(later)).toBe(true);
      expect(order.rejectPaymentDeclined(new Date('2026-01-02T00:00:00Z'))).toBe(false);
      expect(order.uncommittedEvents.map((event) => event.type)).toEqual(['OrderRejected', 'OrderCancelled']);
      expect(order.updatedAt).toEqual(later);
    });

    it('asks for no payment when the credit is reserved after the saga timed out', () => {
      const order = aPlacedOrder();
      order.expireAfterTimeout(later);
      expect(order.requestPayment(new Date('2026-01-02T00:00:00Z'))).toBe(false);
      expect(order.paymentStatus).toBe('NOT_REQUESTED');
      expect(order.uncommittedEvents.map((event) => event.type)).toEqual([
        'OrderPlaced',
        'OrderRejected',
        'OrderCancelled',
      ]);
    });

    it('stays CANCELLED when the capture arrives after the cancel, and shows the refund that follows', () => {
      const order = anOrderIn('PENDING', 'REQUESTED');
      order.cancel(later);
      const refundedAt = new Date('2026-01-02T00:00:00Z');
      expect(order.confirm(refundedAt)).toBe(false);
      expect(order.paymentRefunded(refundedAt)).toBe(true);
      expect(order.paymentRefunded(new Date('2026-01-03T00:00:00Z'))).toBe(false);
      expect(`${order.status}/${order.paymentStatus}`).toBe('CANCELLED/REFUNDED');
      expect(order.uncommittedEvents.map((event) => event.type)).toEqual(['OrderCancelled']);
      expect(order.updatedAt).toEqual(refundedAt);
    });

    it('never confirms once the payment was refunded, whatever order the messages came in', () => {
      const order = anOrderIn('PENDING', 'REQUESTED');
      expect(order.paymentRefunded(later)).toBe(true);
      expect(order.confirm(later)).toBe(false);
      expect(order.rejectPaymentDeclined(later)).toBe(false);
      expect(order.status).toBe('PENDING');
      expect(order.uncommittedEvents).toEqual([]);
    });

    it('rejects with a reason and records OrderRejected', () => {
      const order = aPlacedOrder();
      order.markPersisted(1);
      expect(order.reject('INSUFFICIENT_CREDIT', later)).toBe(true);
      expect(order.rejectionReason).toBe('INSUFFICIENT_CREDIT');
      const [event] = order.uncommittedEvents;
      expect(event).toBeInstanceOf(OrderRejectedEvent);
      expect(event).toMatchObject({ aggregateId: orderId, occurredAt: later, userId, reason: 'INSUFFICIENT_CREDIT' });
    });

    it('refuses to reject a pending order without a reason', () => {
      const order = aPlacedOrder();
      order.markPersisted(1);
      expect(() => order.reject('  ', later)).toThrow(ValidationFailedError);
      expect(order.status).toBe('PENDING');
      expect(order.uncommittedEvents).toEqual([]);
    });

    it.each<['PENDING' | 'CONFIRMED']>([['PENDING'], ['CONFIRMED']])(
      'cancels a %s order by user request and records the previous status',
      (from) => {
        const order = anOrderIn(from);
        expect(order.cancel(later)).toBe(true);
        const [event] = order.uncommittedEvents;
        expect(event).toBeInstanceOf(OrderCancelledEvent);
        expect(event).toMatchObject({
          aggregateId: orderId,
          occurredAt: later,
          userId,
          totalCents: 5998,
          previousStatus: from,
          reason: 'CANCELLED_BY_USER',
        });
        expect(order.rejectionReason).toBeNull();
      },
    );

    it('rejects cancelling a rejected order', () => {
      const order = anOrderIn('REJECTED');
      try {
        order.cancel(later);
        throw new Error('expected OrderNotCancellableError');
      } catch (error) {
        expect(error).toBeInstanceOf(OrderNotCancellableError);
        expect((error as OrderNotCancellableError).code).toBe('ORDER_NOT_CANCELLABLE');
        expect((error as OrderNotCancellableError).details).toEqual({ status: 'REJECTED' });
      }
    });

    it('treats cancelling twice as harmless', () => {
      const order = aPlacedOrder();
      expect(order.cancel(later)).toBe(true);
      expect(order.cancel(new Date('2026-01-02T00:00:00Z'))).toBe(false);
      expect(order.uncommittedEvents.map((event) => event.type)).toEqual(['OrderPlaced', 'OrderCancelled']);
    });

    it('expires a pending order as rejected and tells the users service to release late credit', () => {
      const order = aPlacedOrder();
      order.markPersisted(1);
      expect(order.expireAfterTimeout(later)).toBe(true);
      expect(order.status).toBe('REJECTED');
      expect(order.rejectionReason).toBe('SAGA_TIMEOUT');
      const [rejected, cancelled] = order.uncommittedEvents;
      expect(rejected).toBeInstanceOf(OrderRejectedEvent);
      expect(rejected).toMatchObject({ aggregateId: orderId, occurredAt: later, userId, reason: 'SAGA_TIMEOUT' });
      expect(cancelled).toBeInstanceOf(OrderCancelledEvent);
      expect(cancelled).toMatchObject({
        aggregateId: orderId,
        occurredAt: later,
        userId,
        totalCents: 5998,
        previousStatus: 'PENDING',
        reason: 'SAGA_TIMEOUT',
      });
    });

    it.each<['REJECTED' | 'CANCELLED', (boolean | 'refused')[]]>([
      ['REJECTED', [false, false, false, false, 'refused']],
      ['CANCELLED', [false, false, false, false, false]],
    ])('never moves a %s order again, whatever arrives', (from, answers) => {
      const order = anOrderIn(from);
      const reasonBefore = order.rejectionReason;
      const attempt = (action: Action): boolean | 'refused' => {
        try {
          return act(order, action);
        } catch (error) {
          if (error instanceof OrderNotCancellableError) return 'refused';
          throw error;
        }
      };
      const actions: Action[] = ['confirm', 'reject', 'expireAfterTimeout', 'confirm', 'cancel'];
      expect(actions.map(attempt)).toEqual(answers);
      expect(order.status).toBe(from);
      expect(order.rejectionReason).toBe(reasonBefore);
      expect(order.updatedAt).toEqual(placedAt);
      expect(order.uncommittedEvents).toEqual([]);
    });
  });
});
