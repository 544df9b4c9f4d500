import { z } from 'zod';
import { defineEvent } from '../events/integration-event.js';
import { centsSchema, uuidSchema } from '../events/money.schema.js';

const userRegisteredV1 = z.object({
  userId: uuidSchema,
  email: z.string(),
  name: z.string(),
  role: z.enum(['user', 'admin']),
  creditLimitCents: centsSchema,
});

const userProfileUpdatedV1 = z.object({ userId: uuidSchema, email: z.string(), name: z.string() });

export const CreditRejectionReasons = ['INSUFFICIENT_CREDIT', 'USER_NOT_FOUND'] as const;
export type CreditRejectionReason = (typeof CreditRejectionReasons)[number];

const creditReservedV1 = z.object({ orderId: uuidSchema, userId: uuidSchema, amountCents: centsSchema });
const creditRejectedV1 = z.object({
  orderId: uuidSchema,
  userId: uuidSchema,
  reason: z.enum(CreditRejectionReasons),
});

export const UsersEvents = {
  // News for whoever subscribes; no context needs them yet.
  userRegistered: defineEvent('users', 'UserRegistered', 1, userRegisteredV1, { mustBeReceived: false }),
  userProfileUpdated: defineEvent('users', 'UserProfileUpdated', 1, userProfileUpdatedV1, { mustBeReceived: false }),
  creditReserved: defineEvent('users', 'CreditReserved', 1, creditReservedV1),
  creditRejected: defineEvent('users', 'CreditRejected', 1, creditRejectedV1),
};

export type UserRegisteredV1 = z.infer<typeof userRegisteredV1>;
export type UserProfileUpdatedV1 = z.infer<typeof userProfileUpdatedV1>;
export type CreditReservedV1 = z.infer<typeof creditReservedV1>;
export type CreditRejectedV1 = z.infer<typeof creditRejectedV1>;
