import { InboxOrmEntity, OutboxOrmEntity } from '@app/messaging';
import { CreatePayments1764200000000 } from './migrations/1764200000000-CreatePayments.js';
import { CreatePaymentsOutbox1764200000001 } from './migrations/1764200000001-CreateOutbox.js';
import { CreatePaymentsInbox1764200000002 } from './migrations/1764200000002-CreateInbox.js';
import { CreatePaymentsDeadLetters1764200000003 } from './migrations/1764200000003-CreateDeadLetters.js';
import { PaymentsParkUnroutableEventsAndAgeInbox1764200000004 } from './migrations/1764200000004-ParkUnroutableEventsAndAgeInbox.js';
import { PaymentOrmEntity } from './payment.orm-entity.js';

/** Everything the payments database holds (the provider's own schema aside), listed so bundlers and ESM find it. */
export const paymentsEntities = [PaymentOrmEntity, OutboxOrmEntity, InboxOrmEntity];
export const paymentsMigrations = [
  CreatePayments1764200000000,
  CreatePaymentsOutbox1764200000001,
  CreatePaymentsInbox1764200000002,
  CreatePaymentsDeadLetters1764200000003,
  PaymentsParkUnroutableEventsAndAgeInbox1764200000004,
];
