/**
 * Where a payment's provider work came from: the message that made it due (its correlation id,
 * and its id as the causation) and that message's trace context, as propagation headers. The
 * repository records it beside the payment; the application only hands it back to `WorkOrigin`.
 */
export interface PaymentOrigin {
  readonly correlationId: string;
  readonly causationId: string | null;
  /** W3C trace context headers (`traceparent`, `tracestate`); empty when tracing is off. */
  readonly trace: Readonly<Record<string, string>>;
}

/**
 * Resumes the context of the message a piece of deferred work came from, so that the
 * processor's provider call, its log lines and the events it records continue that message's
 * trace and correlation id instead of starting from nothing.
 */
export abstract class WorkOrigin {
  /**
   * Runs `work` in a span named `name`, child of the origin's trace, under the origin's
   * correlation and causation ids. Without an origin, the span starts a trace of its own.
   */
  abstract resume<T>(
    origin: PaymentOrigin | null,
    name: string,
    attributes: Readonly<Record<string, string>>,
    work: () => Promise<T>,
  ): Promise<T>;
}
