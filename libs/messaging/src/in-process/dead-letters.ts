import type { TransactionRunner } from '@app/platform';
import type { InProcessMessage } from './in-process-broker.js';

export interface DeadLetter {
  consumer: string;
  routingKey: string;
  message: InProcessMessage;
  attempts: number;
  reason: string;
}

/**
 * Keeps an event its consumer gave up on, in the consumer's own database (`dead_letters`):
 * the monolith's `<queue>.dlq`. If even this fails (database away), the caller's error makes the
 * relay offer the event again later: nothing is dropped.
 */
export async function recordDeadLetter(transactions: TransactionRunner, letter: DeadLetter): Promise<void> {
  await transactions.manager.query(
    `INSERT INTO dead_letters (message_id, consumer, routing_key, body, headers, reason, attempts, failed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT (message_id, consumer) DO NOTHING`,
    [
      letter.message.messageId,
      letter.consumer,
      letter.routingKey,
      letter.message.body,
      JSON.stringify(letter.message.headers),
      letter.reason.slice(0, 1000),
      letter.attempts,
    ],
  );
}
