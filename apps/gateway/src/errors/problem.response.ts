import type { FieldError, Problem } from './problem.js';

/** One invalid field of a request. */
export class FieldErrorResponse implements FieldError {
  /** The field, e.g. `items.0.quantity` or `Idempotency-Key`. */
  field!: string;
  message!: string;
}

/** An RFC 9457 problem: every error the API answers. */
export class ProblemResponse implements Problem {
  /** A URI naming the kind of problem, one per `code`, e.g. `urn:problem-type:email-taken`. */
  type!: string;
  title!: string;
  status!: number;
  detail!: string;
  /** Stable and part of the API, e.g. `EMAIL_TAKEN`, `VALIDATION_FAILED`, `RATE_LIMITED`. */
  code!: string;
  /** The request path. */
  instance?: string;
  /** The request's correlation id, as in the X-Correlation-Id response header. */
  correlationId?: string;
  /** Present on 400 VALIDATION_FAILED: what is wrong with which field. */
  errors?: FieldErrorResponse[];
}
