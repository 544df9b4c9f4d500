import { describe, expect, it } from '@jest/globals';
import { ValidationFailedError } from '@app/ddd';
import { Currency } from './currency.value-object.js';
import { OrderLine } from './order-line.value-object.js';
import type { OrderStatus } from './order-status.js';
import { Order } from './order.aggregate.js';
import { OrderNotCancellableError } from './order.errors.js';
import { OrderCancelledEvent } from './order-cancelled.domain-event.js';
import { OrderConfirmedEvent } from './order-confirmed.domain-event.js';
import { OrderPlacedEvent } from './order-placed.domain-event.js';
import { OrderRejectedEvent } from './order-rejected.domain-event.js';

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

function anOrderIn(status: OrderStatus): Order {
  return Order.restore(orderId, 2, {
    userId,
    lines: [line('BOOK-1', 3, 1999), line('PEN', 1, 1)],
    currency: usd,
    totalCents: 5998,
    status,
    rejectionReason: status === 'REJECTED' ? 'INSUFFICIENT_CREDIT' : null,
    createdAt: placedAt,
    updatedAt: placedAt,
  });
}

type Action = 'confirm' | 'reject' | 'cancel' | 'expireAfterTimeout';

function act(order: Order, action: Action): boolean {
  switch (action) {
    case 'confirm':
      return order.confirm(later);
    case 'reject':
      return order.reject('INSUFFICIENT_CREDIT', later);
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
    it.each<[OrderStatus, Action, OrderStatus, string[], boolean | 'throws']>([
      ['PENDING', 'confirm', 'CONFIRMED', ['OrderConfirmed'], true],
      ['PENDING', 'reject', 'REJECTED', ['OrderRejected'], true],
      ['PENDING', 'cancel', 'CANCELLED', ['OrderCancelled'], true],
      ['PENDING', 'expireAfterTimeout', 'REJECTED', ['OrderRejected', 'OrderCancelled'], true],
      ['CONFIRMED', 'confirm', 'CONFIRMED', [], false],
      ['CONFIRMED', 'reject', 'CONFIRMED', [], false],
      ['CONFIRMED', 'cancel', 'CANCELLED', ['OrderCancelled'], true],
      ['CONFIRMED', 'expireAfterTimeout', 'CONFIRMED', [], false],
      ['REJECTED', 'confirm', 'REJECTED', [], false],
      ['REJECTED', 'reject', 'REJECTED', [], false],
      ['REJECTED', 'cancel', 'REJECTED', [], 'throws'],
      ['REJECTED', 'expireAfterTimeout', 'REJECTED', [], false],
      ['CANCELLED', 'confirm', 'CANCELLED', [], false],
      ['CANCELLED', 'reject', 'CANCELLED', [], false],
      ['CANCELLED', 'cancel', 'CANCELLED', [], false],
      ['CANCELLED', 'expireAfterTimeout', 'CANCELLED', [], false],
    ])('%s + %s → %s, records %j, answers %p', (from, action, to, eventTypes, outcome) => {
      const order = anOrderIn(from);
      if (outcome === 'throws') {
        expect(() => act(order, action)).toThrow(OrderNotCancellableError);
      } else {
        expect(act(order, action)).toBe(outcome);
      }
      expect(order.status).toBe(to);
      expect(order.isSettled).toBe(to !== 'PENDING');
      expect(order.uncommittedEvents.map((event) => event.type)).toEqual(eventTypes);
      expect(order.updatedAt).toEqual(eventTypes.length > 0 ? later : placedAt);
    });

    it('confirms and records OrderConfirmed with the user and total', () => {
      const order = aPlacedOrder();
      order.markPersisted(1);
      order.confirm(later);
      const [event] = order.uncommittedEvents;
      expect(event).toBeInstanceOf(OrderConfirmedEvent);
      expect(event).toMatchObject({ aggregateId: orderId, occurredAt: later, userId, totalCents: 5998 });
    });

    it('ignores a redelivered confirmation', () => {
      const order = aPlacedOrder();
      expect(order.confirm(later)).toBe(true);
      expect(order.confirm(new Date('2026-01-02T00:00:00Z'))).toBe(false);
      expect(order.uncommittedEvents.map((event) => event.type)).toEqual(['OrderPlaced', 'OrderConfirmed']);
      expect(order.updatedAt).toEqual(later);
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
