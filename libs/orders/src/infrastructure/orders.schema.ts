import { InboxOrmEntity, OutboxOrmEntity } from '@app/messaging';
import { CreateOrders1764100000000 } from './migrations/1764100000000-CreateOrders.js';
import { CreateOrderViews1764100000001 } from './migrations/1764100000001-CreateOrderViews.js';
import { CreateIdempotencyKeys1764100000002 } from './migrations/1764100000002-CreateIdempotencyKeys.js';
import { CreateOrdersOutbox1764100000003 } from './migrations/1764100000003-CreateOutbox.js';
import { CreateOrdersInbox1764100000004 } from './migrations/1764100000004-CreateInbox.js';
import { CreateOrdersDeadLetters1764100000005 } from './migrations/1764100000005-CreateDeadLetters.js';
import { DeriveUserOrderStatsFromViews1764100000006 } from './migrations/1764100000006-DeriveUserOrderStatsFromViews.js';
import { IdempotencyKeyOrmEntity } from './idempotency-key.orm-entity.js';
import { OrderLineOrmEntity } from './order-line.orm-entity.js';
import { OrderViewOrmEntity } from './order-view.orm-entity.js';
import { OrderOrmEntity } from './order.orm-entity.js';
import { ParkUnroutableEventsAndAgeInbox1764100000007 } from './migrations/1764100000007-ParkUnroutableEventsAndAgeInbox.js';
import { AddOrderPaymentStatus1764100000008 } from './migrations/1764100000008-AddOrderPaymentStatus.js';

/** Everything the orders database holds, listed (not globbed) so bundlers and ESM find it. */
export const ordersEntities = [
  OrderOrmEntity,
  OrderLineOrmEntity,
  OrderViewOrmEntity,
  IdempotencyKeyOrmEntity,
  OutboxOrmEntity,
  InboxOrmEntity,
];
export const ordersMigrations = [
  CreateOrders1764100000000,
  CreateOrderViews1764100000001,
  CreateIdempotencyKeys1764100000002,
  CreateOrdersOutbox1764100000003,
  CreateOrdersInbox1764100000004,
  CreateOrdersDeadLetters1764100000005,
  DeriveUserOrderStatsFromViews1764100000006,
  ParkUnroutableEventsAndAgeInbox1764100000007,
  AddOrderPaymentStatus1764100000008,
];
