import { Injectable } from '@nestjs/common';
import type { OrderResponse } from '@app/contracts';
import { TransactionRunner } from '@app/platform';
import type { IdempotencyKeys, StoredAnswer } from '../application/index.js';

interface ClaimRow {
  claimed: boolean;
  request_hash: string | null;
  response: OrderResponse | null;
}

/*
 * One statement claims the key or reads the first answer. ON CONFLICT waits for a concurrent
 * claim of the same key to commit or roll back; when it committed after this statement's
 * snapshot, the row is not visible to the statement's own SELECT, hence the second read (a new
 * snapshot) on that race only.
 */
const CLAIM = `
  WITH claim AS (
    INSERT INTO idempotency_keys (user_id, key, request_hash, response, created_at)
    VALUES ($1, $2, $3, $4, now())
    ON CONFLICT (user_id, key) DO NOTHING
    RETURNING true AS claimed
  )
  SELECT claimed, NULL::text AS request_hash, NULL::jsonb AS response FROM claim
  UNION ALL
  SELECT false, request_hash, response FROM idempotency_keys
   WHERE user_id = $1 AND key = $2 AND NOT EXISTS (SELECT 1 FROM claim)`;

@Injectable()
export class SqlIdempotencyKeys implements IdempotencyKeys {
  constructor(private readonly transactions: TransactionRunner) {}

  async claim(userId: string, key: string, answer: StoredAnswer): Promise<StoredAnswer | null> {
    const [row] = (await this.transactions.manager.query(CLAIM, [
      userId,
      key,
      answer.requestHash,
      JSON.stringify(answer.response),
    ])) as ClaimRow[];
    if (row?.claimed) return null;
    if (row) return { requestHash: row.request_hash!, response: row.response! };
    const first = await this.find(userId, key);
    if (!first) throw new Error(`idempotency key of user ${userId} neither claimed nor found`);
    return first;
  }

  async purgeOlderThan(cutoff: Date): Promise<number> {
    const [, deleted] = (await this.transactions.manager.query('DELETE FROM idempotency_keys WHERE created_at < $1', [
      cutoff,
    ])) as [unknown, number];
    return deleted;
  }

  private async find(userId: string, key: string): Promise<StoredAnswer | null> {
    const rows = (await this.transactions.manager.query(
      'SELECT request_hash, response FROM idempotency_keys WHERE user_id = $1 AND key = $2',
      [userId, key],
    )) as { request_hash: string; response: OrderResponse }[];
    return rows[0] ? { requestHash: rows[0].request_hash, response: rows[0].response } : null;
  }
}
