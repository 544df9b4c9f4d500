import type { Order } from '../../domain/index.js';

/** The saga's outcomes for the dashboards. */
export abstract class SagaOutcomes {
  /** Counts the order's settlement (its status now, and a rejection's reason) once the unit of work commits. */
  abstract countSettled(order: Order): void;
}
