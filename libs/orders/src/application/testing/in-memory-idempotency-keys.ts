import type { IdempotencyKeys, StoredAnswer } from '../ports/idempotency-keys.port.js';
import type { InMemoryUnitOfWork } from '@app/ddd';

interface StoredKey {
  answer: StoredAnswer;
  createdAt: Date;
}

export class InMemoryIdempotencyKeys implements IdempotencyKeys {
  private rows = new Map<string, StoredKey>();
  now = (): Date => new Date();

  constructor(unitOfWork: InMemoryUnitOfWork) {
    unitOfWork.register({
      snapshot: () => new Map(this.rows),
      restore: (rows) => (this.rows = rows as typeof this.rows),
    });
  }

  async claim(userId: string, key: string, answer: StoredAnswer): Promise<StoredAnswer | null> {
    const first = this.rows.get(keyOf(userId, key));
    if (first) return first.answer;
    this.rows.set(keyOf(userId, key), { answer, createdAt: this.now() });
    return null;
  }

  async purgeOlderThan(cutoff: Date): Promise<number> {
    let purged = 0;
    for (const [key, row] of this.rows) {
      if (row.createdAt < cutoff) {
        this.rows.delete(key);
        purged += 1;
      }
    }
    return purged;
  }

  answer(userId: string, key: string): StoredAnswer | undefined {
    return this.rows.get(keyOf(userId, key))?.answer;
  }

  get size(): number {
    return this.rows.size;
  }
}

function keyOf(userId: string, key: string): string {
  return JSON.stringify([userId, key]);
}
