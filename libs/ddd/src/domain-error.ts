/**
 * A broken business rule. Carries a stable, SCREAMING_SNAKE `code` that is part of the API;
 * each transport maps it once, at its edge (RPC error body, problem+json).
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that does not satisfy a value object's invariants. */
export class ValidationFailedError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
}

/** The aggregate changed since it was loaded (optimistic locking). */
export class ConcurrencyConflictError extends DomainError {
  readonly code = 'CONCURRENCY_CONFLICT';
}
