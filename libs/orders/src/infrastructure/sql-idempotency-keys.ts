import { Injectable } from '@nestjs/common';
import type { OrderResponse } from '@app/contracts';
import { TransactionRunner, violatedUniqueConstraint } from '@app/platform';
import { KeyAlreadyUsedError, type IdempotencyKeys, type StoredAnswer } from '../application/index.js';

@Injectable()
export class SqlIdempotencyKeys implements IdempotencyKeys {
  constructor(private readonly transactions: TransactionRunner) {}

  async find(userId: string, key: string): Promise<StoredAnswer | null> {
    const rows = (await this.transactions.manager.query(
      'SELECT request_hash, response FROM idempotency_keys WHERE user_id = $1 AND key = $2',
      [userId, key],
    )) as { request_hash: string; response: OrderResponse }[];
    return rows[0] ? { requestHash: rows[0].request_hash, response: rows[0].response } : null;
  }

  async save(userId: string, key: string, answer: StoredAnswer): Promise<void> {
    try {
      await this.transactions.manager.query(
        `INSERT INTO idempotency_keys (user_id, key, request_hash, response, created_at) VALUES ($1, $2, $3, $4, now())`,
        [userId, key, answer.requestHash, JSON.stringify(answer.response)],
      );
    } catch (error) {
      if (violatedUniqueConstraint(error) !== null) throw new KeyAlreadyUsedError();
      throw error;
    }
  }

  async purgeOlderThan(cutoff: Date): Promise<number> {
    const [, deleted] = (await this.transactions.manager.query('DELETE FROM idempotency_keys WHERE created_at < $1', [
      cutoff,
    ])) as [unknown, number];
    return deleted;
  }
}
