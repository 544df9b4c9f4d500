import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { OutboxSignal, OutboxWriter } from '@app/messaging';
import { TransactionRunner } from '@app/platform';
import {
  CancelOrderCommand,
  CancelOrderHandler,
  ConfirmOrderCommand,
  ConfirmOrderHandler,
  ExpirePendingOrdersCommand,
  ExpirePendingOrdersHandler,
  MarkPaymentRefundedCommand,
  MarkPaymentRefundedHandler,
  PlaceOrderCommand,
  PlaceOrderHandler,
  RejectDeclinedOrderCommand,
  RejectDeclinedOrderHandler,
  RejectOrderCommand,
  RejectOrderHandler,
  RequestOrderPaymentCommand,
  RequestOrderPaymentHandler,
} from '../application/index.js';
import { PrometheusSagaOutcomes } from './prometheus-saga-outcomes.js';
import { SqlIdempotencyKeys } from './sql-idempotency-keys.js';
import { SqlOrderViewProjector } from './sql-order-view.projector.js';
import { SqlOrdersOutbox } from './sql-orders-outbox.js';
import { StatementRecorder } from '../../../../test/support/statement-recorder.js';
import { openOrdersTestDatabase } from './testing/orders-test-database.js';
import { TypeormOrderRepository } from './typeorm-order.repository.js';

/*
 * The round trips of each orders transaction, pinned: every statement costs CPU in node-postgres,
 * TypeORM and Postgres. Saga answers run inside the event consumer's transaction, which adds its
 * inbox claim (and, batched, shares BEGIN, the claim and COMMIT with the other events).
 */

let dataSource: DataSource;
let drop: () => Promise<void>;
let recorder: StatementRecorder;
let transactions: TransactionRunner;
let place: PlaceOrderHandler;
let requestPayment: RequestOrderPaymentHandler;
let confirm: ConfirmOrderHandler;
let rejectDeclined: RejectDeclinedOrderHandler;
let markRefunded: MarkPaymentRefundedHandler;
let reject: RejectOrderHandler;
let cancel: CancelOrderHandler;
let expire: ExpirePendingOrdersHandler;

beforeAll(async () => {
  ({ dataSource, drop } = await openOrdersTestDatabase('orders_trips'));
  recorder = StatementRecorder.attach(dataSource);
  transactions = new TransactionRunner(dataSource);
  const orders = new TypeormOrderRepository(transactions);
  const views = new SqlOrderViewProjector(transactions);
  const outbox = new SqlOrdersOutbox(new OutboxWriter(transactions, new OutboxSignal()));
  const outcomes = new PrometheusSagaOutcomes(transactions);
  place = new PlaceOrderHandler(new SqlIdempotencyKeys(transactions), orders, views, outbox, transactions);
  requestPayment = new RequestOrderPaymentHandler(orders, views, outbox, transactions);
  confirm = new ConfirmOrderHandler(orders, views, outbox, outcomes, transactions);
  rejectDeclined = new RejectDeclinedOrderHandler(orders, views, outbox, outcomes, transactions);
  markRefunded = new MarkPaymentRefundedHandler(orders, views, transactions);
  reject = new RejectOrderHandler(orders, views, outbox, outcomes, transactions);
  cancel = new CancelOrderHandler(orders, views, outbox, outcomes, transactions);
  expire = new ExpirePendingOrdersHandler(orders, views, outbox, outcomes, transactions);
}, 60_000);

afterAll(() => drop(), 60_000);

const actor = { id: randomUUID(), role: 'user' as const };
const items = [
  { sku: 'BOOK-1', quantity: 3, unitPriceCents: 1999 },
  { sku: 'PEN', quantity: 1, unitPriceCents: 1 },
];

async function placed(key: string = randomUUID()): Promise<string> {
  return (await place.execute(new PlaceOrderCommand(actor, key, 'EUR', items))).order.id;
}

/** As the event consumer runs a handler: inside a transaction it opened (its inbox claim left out). */
function consumed(work: () => Promise<unknown>): Promise<unknown> {
  return transactions.run(work);
}

const SETTLE = ['select order_lines, orders', 'update orders', 'update order_views'];

describe('orders write path, statements per transaction', () => {
  it('places an order in 6: BEGIN, key claim, order with its lines, view, outbox, COMMIT', async () => {
    expect(await recorder.during(() => placed('key-1'))).toEqual([
      'BEGIN',
      'insert idempotency_keys',
      'insert orders + insert order_lines',
      'insert order_views',
      'insert outbox',
      'COMMIT',
    ]);
  });

  it('answers a replayed placement in 3: BEGIN, key claim (which returns the first answer), COMMIT', async () => {
    await placed('key-2');
    expect(await recorder.during(() => placed('key-2'))).toEqual(['BEGIN', 'insert idempotency_keys', 'COMMIT']);
  });

  it('asks for the payment, or rejects a declined one, in 4 inside the consumer’s transaction: load, order, view, outbox', async () => {
    const [toPay, toDecline] = [await placed(), await placed()];
    await consumed(() => requestPayment.execute(new RequestOrderPaymentCommand(toDecline)));

    expect(
      await recorder.during(() => consumed(() => requestPayment.execute(new RequestOrderPaymentCommand(toPay)))),
    ).toEqual(['BEGIN', ...SETTLE, 'insert outbox', 'COMMIT']);
    expect(
      await recorder.during(() => consumed(() => rejectDeclined.execute(new RejectDeclinedOrderCommand(toDecline)))),
    ).toEqual(['BEGIN', ...SETTLE, 'insert outbox', 'COMMIT']);
  });

  it('confirms, rejects and marks a refund in 3 inside the consumer’s transaction: load, order, view', async () => {
    const [toConfirm, toReject] = [await placed(), await placed()];
    await consumed(() => requestPayment.execute(new RequestOrderPaymentCommand(toConfirm)));

    expect(await recorder.during(() => consumed(() => confirm.execute(new ConfirmOrderCommand(toConfirm))))).toEqual([
      'BEGIN',
      ...SETTLE,
      'COMMIT',
    ]);
    expect(
      await recorder.during(() => consumed(() => reject.execute(new RejectOrderCommand(toReject, 'USER_NOT_FOUND')))),
    ).toEqual(['BEGIN', ...SETTLE, 'COMMIT']);
    await cancel.execute(new CancelOrderCommand(actor, toConfirm));
    expect(
      await recorder.during(() => consumed(() => markRefunded.execute(new MarkPaymentRefundedCommand(toConfirm)))),
    ).toEqual(['BEGIN', ...SETTLE, 'COMMIT']);
  });

  it('cancels in 6: BEGIN, load, order, view, outbox, COMMIT', async () => {
    const id = await placed();
    expect(await recorder.during(() => cancel.execute(new CancelOrderCommand(actor, id)))).toEqual([
      'BEGIN',
      ...SETTLE,
      'insert outbox',
      'COMMIT',
    ]);
  });

  it('expires in 6 per order, after one query for the expired ones', async () => {
    await dataSource.query(`UPDATE orders SET status = 'CANCELLED' WHERE status = 'PENDING'`);
    await placed();
    expect(await recorder.during(() => expire.execute(new ExpirePendingOrdersCommand(-60_000)))).toEqual([
      'select orders',
      'BEGIN',
      ...SETTLE,
      'insert outbox',
      'COMMIT',
    ]);
  });
});
