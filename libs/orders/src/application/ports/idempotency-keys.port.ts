import type { OrderResponse } from '@app/contracts';

export interface StoredAnswer {
  requestHash: string;
  response: OrderResponse;
}

/** First answers to client-keyed requests, per user, kept at least 24 hours. */
export abstract class IdempotencyKeys {
  /**
   * Claims the key for this answer in the current unit of work and returns null; or, when
   * another request claimed it first, returns that request's answer (waiting for its unit of
   * work to end if it is still open, so two requests with one key never both go on).
   */
  abstract claim(userId: string, key: string, answer: StoredAnswer): Promise<StoredAnswer | null>;
  abstract purgeOlderThan(cutoff: Date): Promise<number>;
}
