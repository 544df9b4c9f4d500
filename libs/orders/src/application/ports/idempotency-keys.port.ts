import type { OrderResponse } from '@app/contracts';

export interface StoredAnswer {
  requestHash: string;
  response: OrderResponse;
}

/** First answers to client-keyed requests, per user, kept at least 24 hours. */
export abstract class IdempotencyKeys {
  abstract find(userId: string, key: string): Promise<StoredAnswer | null>;
  /** Stores the first answer in the current unit of work; throws KeyAlreadyUsedError if another request was first. */
  abstract save(userId: string, key: string, answer: StoredAnswer): Promise<void>;
  abstract purgeOlderThan(cutoff: Date): Promise<number>;
}

/** Another request with the same key committed first (a race): read its answer instead. */
export class KeyAlreadyUsedError extends Error {}
