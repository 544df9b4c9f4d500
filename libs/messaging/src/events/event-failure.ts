import { isDatabaseUnreachable, type DeadLetterReason } from '@app/platform';
import { retryDelayMs, type EventConsumerOptions } from './event-consumer-options.js';
import { PoisonMessageError } from './parse-event.js';

export type EventFailure =
  /** `counts: false`: the database could not be reached; the attempt does not use up a retry. */
  | { action: 'retry'; reason: string; delayMs: number; counts: boolean }
  | { action: 'dead-letter'; reason: string; cause: DeadLetterReason };

/**
 * What a consumer does with an event whose handling failed on delivery `attempt`: retry it after
 * the backoff, or, past `maxAttempts` or for a message that can never succeed, dead-letter it.
 * A database that cannot be reached is not the event's fault: that attempt is retried without
 * counting, so an outage of any length dead-letters nothing (the fault suite's Postgres
 * blackhole did, after five attempts five seconds apart). One rule for every transport, so
 * both shapes retry and give up alike.
 */
export function eventFailure(error: unknown, attempt: number, options: EventConsumerOptions): EventFailure {
  const reason = error instanceof Error ? error.message : String(error);
  if (error instanceof PoisonMessageError) return { action: 'dead-letter', reason, cause: error.reason };
  if (isDatabaseUnreachable(error)) {
    return { action: 'retry', reason, delayMs: retryDelayMs(options, Math.max(attempt, 1)), counts: false };
  }
  if (attempt >= options.maxAttempts) return { action: 'dead-letter', reason, cause: 'handler_failed' };
  return { action: 'retry', reason, delayMs: retryDelayMs(options, attempt), counts: true };
}
