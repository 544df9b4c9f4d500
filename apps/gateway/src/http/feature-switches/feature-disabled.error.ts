/** A feature switched off in the configuration: answered as a problem with its own code. */
export class FeatureDisabledError extends Error {
  constructor(
    readonly status: 403 | 503,
    readonly code: string,
    readonly detail: string,
    /** For a 503: when to try again (Retry-After). */
    readonly retryAfterSeconds = 1,
  ) {
    super(detail);
    this.name = FeatureDisabledError.name;
  }
}
