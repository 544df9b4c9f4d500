export interface EventConsumerOptions {
  /** The service's event queue before prefixing, e.g. `users.events`; also the inbox consumer name. */
  queue: string;
  /** Deliveries of one message before it goes to the dead-letter queue. */
  maxAttempts: number;
  /** Delay before the first retry; doubles each time up to `retryMaxDelayMs`. */
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
}

/** The delay before retry number `attempt` (1-based). */
export function retryDelayMs(options: EventConsumerOptions, attempt: number): number {
  return Math.min(options.retryBaseDelayMs * 2 ** (attempt - 1), options.retryMaxDelayMs);
}
