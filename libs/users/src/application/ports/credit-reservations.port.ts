export type CreditReservationStatus = 'RESERVED' | 'RELEASED' | 'REJECTED';

export interface CreditReservation {
  orderId: string;
  userId: string;
  amountCents: number;
  status: CreditReservationStatus;
}

/**
 * What the users service decided for each order, keyed by order id. Rows for reserved and
 * released credit are written by the user repository from the aggregate's events; this port
 * reads them and records the decisions that have no user to record them on.
 */
export abstract class CreditReservations {
  abstract find(orderId: string): Promise<CreditReservation | null>;
  /** The order's user does not exist: remember it and tell orders (CreditRejected). */
  abstract rejectForUnknownUser(orderId: string, userId: string, amountCents: number): Promise<void>;
  /** The order was cancelled before its credit was asked for: a late request must not reserve. */
  abstract releaseUnreserved(orderId: string, userId: string): Promise<void>;
}
