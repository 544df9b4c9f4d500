import type { OrderPaymentStatusValue } from '@app/contracts';

/** The order's payment as the saga knows it; the list itself is the contract's (`OrderPaymentStatuses`). */
export type OrderPaymentStatus = OrderPaymentStatusValue;
