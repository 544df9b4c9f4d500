export interface EventConsumerOptions {
  /** The service's event queue before prefixing, e.g. `users.events`; also the inbox consumer name. */
  queue: string;
  /** Deliveries of one message before it goes to the dead-letter queue. */
  maxAttempts: number;
  /** Delay before the first retry; doubles each time up to `retryMaxDelayMs`. */
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** Events handled in one transaction at most (they arrive together, up to the prefetch). */
  batchSize: number;
  /** Batches handled at once (each in its own transaction and connection). */
  concurrency: number;
}

/** The delay before retry number `attempt` (1-based). */
export function retryDelayMs(
  options: Pick<EventConsumerOptions, 'retryBaseDelayMs' | 'retryMaxDelayMs'>,
  attempt: number,
): number {
  return Math.min(options.retryBaseDelayMs * 2 ** (attempt - 1), options.retryMaxDelayMs);
}
