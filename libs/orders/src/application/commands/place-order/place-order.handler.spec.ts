import { beforeEach, describe, expect, it } from '@jest/globals';
import type { OrderItem } from '@app/contracts';
import { ValidationFailedError } from '@app/ddd';
import { OrderPlacedEvent } from '../../../domain/index.js';
import { IdempotencyKeyReusedError } from '../../orders-errors.js';
import { inMemoryOrdersPorts, type InMemoryOrdersPorts } from '../../testing/in-memory-orders-ports.js';
import { owner, stranger } from '../../testing/order-fixtures.js';
import { PlaceOrderCommand } from './place-order.command.js';
import { PlaceOrderHandler } from './place-order.handler.js';

const items: OrderItem[] = [
  { sku: 'BOOK-1', quantity: 3, unitPriceCents: 1999 },
  { sku: 'PEN', quantity: 1, unitPriceCents: 1 },
];

describe('PlaceOrderHandler', () => {
  let ports: InMemoryOrdersPorts;
  let handler: PlaceOrderHandler;

  beforeEach(() => {
    ports = inMemoryOrdersPorts();
    handler = new PlaceOrderHandler(ports.keys, ports.orders, ports.views, ports.outbox, ports.unitOfWork);
  });

  const place = (key = 'key-1', body: { currency?: string; items?: OrderItem[] } = {}, actor = owner) =>
    handler.execute(new PlaceOrderCommand(actor, key, body.currency ?? 'EUR', body.items ?? items));

  it('places the order PENDING: saves it, projects its view, appends OrderPlaced and keeps the answer', async () => {
    const { order: answer, replayed } = await place();

    expect(replayed).toBe(false);
    expect(answer).toMatchObject({
      userId: owner.id,
      status: 'PENDING',
      items,
      totalCents: 5998,
      currency: 'EUR',
      rejectionReason: null,
    });
    expect(ports.orders.stored(answer.id)).toMatchObject({
      version: 1,
      state: { userId: owner.id, status: 'PENDING', totalCents: 5998 },
    });
    expect(ports.views.view(answer.id)).toEqual(answer);
    expect(ports.outbox.events).toEqual([
      new OrderPlacedEvent(answer.id, new Date(answer.createdAt), owner.id, 5998, 'EUR', items),
    ]);
    expect(ports.keys.answer(owner.id, 'key-1')?.response).toEqual(answer);
    expect(ports.unitOfWork.commits).toBe(1);
  });

  it('answers the first answer again, marked replayed, for the same key and request, and places nothing more', async () => {
    const first = await place();
    const again = await place();

    expect(again).toEqual({ order: first.order, replayed: true });
    expect(ports.orders.size).toBe(1);
    expect(ports.views.size).toBe(1);
    expect(ports.outbox.events).toHaveLength(1);
  });

  it.each([
    ['another total', { items: [{ sku: 'BOOK-1', quantity: 4, unitPriceCents: 1999 }] }],
    ['another currency', { currency: 'USD' }],
    ['the lines in another order', { items: [...items].reverse() }],
  ])('refuses the same key with %s (IDEMPOTENCY_KEY_REUSED) and places nothing', async (_, body) => {
    const { order: first } = await place();

    await expect(place('key-1', body)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);

    expect(ports.orders.size).toBe(1);
    expect(ports.outbox.events).toHaveLength(1);
    expect(ports.keys.answer(owner.id, 'key-1')?.response).toEqual(first);
  });

  it('keeps keys per user: the same key places one order for each of two users', async () => {
    const { order: mine } = await place('shared-key');
    const { order: theirs, replayed } = await place('shared-key', {}, stranger);

    expect(replayed).toBe(false);
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.userId).toBe(stranger.id);
    expect(ports.orders.size).toBe(2);
  });

  it.each([
    ['no lines', { items: [] }, 'items'],
    ['an invalid line', { items: [{ sku: 'A', quantity: 0, unitPriceCents: 1 }] }, 'items.0.quantity'],
    ['an unknown currency', { currency: 'XXY' }, 'currency'],
  ])('refuses %s with VALIDATION_FAILED naming the field, writing nothing', async (_, body, field) => {
    const failure = await place('key-1', body).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ValidationFailedError);
    expect((failure as ValidationFailedError).details?.fields).toEqual([expect.objectContaining({ field })]);
    expect([ports.orders.size, ports.views.size, ports.outbox.events.length, ports.keys.size]).toEqual([0, 0, 0, 0]);
  });

  it('writes nothing, not even the key, when a step after the save fails', async () => {
    const failure = new Error('outbox unavailable');
    ports.outbox.failNextAppend = failure;

    await expect(place()).rejects.toBe(failure);

    expect([ports.orders.size, ports.views.size, ports.outbox.events.length, ports.keys.size]).toEqual([0, 0, 0, 0]);
    // and the client's retry with the same key places the order
    expect((await place()).order.status).toBe('PENDING');
    expect(ports.orders.size).toBe(1);
  });
});
