import type { PaymentStatusValue } from '@app/contracts';

export type PaymentStatus = PaymentStatusValue;
