import type { DeadLetterReason } from '@app/platform';
import { retryDelayMs, type EventConsumerOptions } from './event-consumer-options.js';
import { PoisonMessageError } from './parse-event.js';

export type EventFailure =
  | { action: 'retry'; reason: string; delayMs: number }
  | { action: 'dead-letter'; reason: string; cause: DeadLetterReason };

/**
 * What a consumer does with an event whose handling failed on delivery `attempt`: retry it after
 * the backoff, or, past `maxAttempts` or for a message that can never succeed, dead-letter it.
 * One rule for every transport, so both shapes retry and give up alike.
 */
export function eventFailure(error: unknown, attempt: number, options: EventConsumerOptions): EventFailure {
  const reason = error instanceof Error ? error.message : String(error);
  if (error instanceof PoisonMessageError) return { action: 'dead-letter', reason, cause: error.reason };
  if (attempt >= options.maxAttempts) return { action: 'dead-letter', reason, cause: 'handler_failed' };
  return { action: 'retry', reason, delayMs: retryDelayMs(options, attempt) };
}
