export interface CircuitBreakerOptions {
  /** Consecutive failures (timeouts, unreachable) that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before letting one trial call through. */
  cooldownMs: number;
}

/** Fixed options, or a function read at each use (options changed while the app runs). */
export type CircuitBreakerSettings = CircuitBreakerOptions | (() => CircuitBreakerOptions);

/** The circuit is open: the call was refused at once, without touching the service. */
export class CircuitOpenError extends Error {
  constructor(
    readonly target: string,
    readonly retryAfterMs: number,
  ) {
    super(`${target} is failing; calls are refused for ${retryAfterMs} ms`);
    this.name = CircuitOpenError.name;
  }
}

type State = { kind: 'closed'; failures: number } | { kind: 'open'; until: number } | { kind: 'half-open' };

/**
 * Stops calling a service that keeps failing, so callers get an answer in microseconds instead
 * of waiting out a timeout each. Closed → (N consecutive failures) → open → (cool-down) →
 * half-open: one trial call; its success closes the circuit, its failure opens it again.
 * Only failures the caller says are the service's fault count (`isFailure`).
 */
export class CircuitBreaker {
  private state: State = { kind: 'closed', failures: 0 };

  constructor(
    readonly target: string,
    private readonly settings: CircuitBreakerSettings,
    private readonly isFailure: (error: unknown) => boolean,
  ) {}

  private get options(): CircuitBreakerOptions {
    return typeof this.settings === 'function' ? this.settings() : this.settings;
  }

  get status(): 'closed' | 'open' | 'half-open' {
    return this.state.kind;
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const now = Date.now();
    if (this.state.kind === 'open') {
      if (now < this.state.until) throw new CircuitOpenError(this.target, this.state.until - now);
      this.state = { kind: 'half-open' };
    } else if (this.state.kind === 'half-open') {
      throw new CircuitOpenError(this.target, this.options.cooldownMs); // a trial call is already out
    }
    try {
      const result = await call();
      this.state = { kind: 'closed', failures: 0 };
      return result;
    } catch (error) {
      this.record(error);
      throw error;
    }
  }

  private record(error: unknown): void {
    if (!this.isFailure(error)) {
      this.state = { kind: 'closed', failures: 0 }; // the service answered: it is up
      return;
    }
    const failures = this.state.kind === 'closed' ? this.state.failures + 1 : this.options.failureThreshold;
    this.state =
      failures >= this.options.failureThreshold
        ? { kind: 'open', until: Date.now() + this.options.cooldownMs }
        : { kind: 'closed', failures };
  }
}
