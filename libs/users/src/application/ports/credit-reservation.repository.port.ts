import type { CreditReservation } from '../../domain/index.js';

/** Loads and saves CreditReservation aggregates: the only writer of `credit_reservations`. */
export abstract class CreditReservationRepository {
  abstract findByOrderId(orderId: string): Promise<CreditReservation | null>;
  /**
   * Records a new reservation unless its order has one already (a decision taken before, or a
   * cancellation's mark): then it writes nothing and answers false.
   */
  abstract add(reservation: CreditReservation): Promise<boolean>;
  /** Writes a loaded reservation's release; ConcurrencyConflictError when it was released meanwhile. */
  abstract save(reservation: CreditReservation): Promise<void>;
}
