import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@app/platform';
import type { RefreshTokens, StoredRefreshToken } from '../application/index.js';

interface RefreshTokenRow {
  id: string;
  family_id: string;
  user_id: string;
  expires_at: Date;
  revoked_at: Date | null;
}

@Injectable()
export class SqlRefreshTokens implements RefreshTokens {
  constructor(private readonly transactions: TransactionRunner) {}

  async create(token: { userId: string; familyId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
    await this.transactions.manager.query(
      `INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, now())`,
      [randomUUID(), token.familyId, token.userId, token.tokenHash, token.expiresAt],
    );
  }

  async findByHash(tokenHash: string): Promise<StoredRefreshToken | null> {
    const rows = (await this.transactions.manager.query(
      'SELECT id, family_id, user_id, expires_at, revoked_at FROM refresh_tokens WHERE token_hash = $1',
      [tokenHash],
    )) as RefreshTokenRow[];
    const row = rows[0];
    return row
      ? {
          id: row.id,
          familyId: row.family_id,
          userId: row.user_id,
          expiresAt: row.expires_at,
          revoked: !!row.revoked_at,
        }
      : null;
  }

  async markUsed(id: string): Promise<boolean> {
    const [, affected] = (await this.transactions.manager.query(
      'UPDATE refresh_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL',
      [id],
    )) as [unknown, number];
    return affected === 1;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.transactions.manager.query(
      'UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL',
      [familyId],
    );
  }
}
