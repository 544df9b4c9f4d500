import type { FieldError, Problem } from './problem.js';

/** One invalid field of a request. */
export class FieldErrorResponse implements FieldError {
  /**
   * The field, e.g. `items.0.quantity` or `Idempotency-Key`.
   * @example items.0.quantity
   */
  field!: string;
  /** @example "quantity must not be less than 1" */
  message!: string;
}

/** An RFC 9457 problem: every error the API answers. */
export class ProblemResponse implements Problem {
  /**
   * A URI naming the kind of problem, one per `code`, e.g. `urn:problem-type:email-taken`.
   * @example urn:problem-type:validation-failed
   */
  type!: string;
  /** @example "Bad Request" */
  title!: string;
  /** @example 400 */
  status!: number;
  /** @example "the request is invalid" */
  detail!: string;
  /**
   * Stable and part of the API, e.g. `EMAIL_TAKEN`, `VALIDATION_FAILED`, `RATE_LIMITED`.
   * @example VALIDATION_FAILED
   */
  code!: string;
  /**
   * The request path.
   * @example /api/v1/orders
   */
  instance?: string;
  /**
   * The request's correlation id, as in the X-Correlation-Id response header.
   * @example 9b719fd2-6883-4e33-9dfd-60ac5fa9dda8
   */
  correlationId?: string;
  /** Present on 400 VALIDATION_FAILED: what is wrong with which field. */
  errors?: FieldErrorResponse[];
}
