import { randomUUID } from 'node:crypto';
import type { RefreshTokens, StoredRefreshToken } from '../ports/refresh-tokens.port.js';
import type { InMemoryUnitOfWork } from '@app/ddd';

interface TokenRow extends StoredRefreshToken {
  tokenHash: string;
  used: boolean;
}

export class InMemoryRefreshTokens implements RefreshTokens {
  private rows: TokenRow[] = [];

  constructor(unitOfWork: InMemoryUnitOfWork) {
    unitOfWork.register({
      snapshot: () => this.rows.map((row) => ({ ...row })),
      restore: (rows) => {
        this.rows = rows as TokenRow[];
      },
    });
  }

  async create(token: { userId: string; familyId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
    this.rows.push({ id: randomUUID(), ...token, revoked: false, used: false });
  }

  async findByHash(tokenHash: string): Promise<StoredRefreshToken | null> {
    const row = this.rows.find((candidate) => candidate.tokenHash === tokenHash);
    return row
      ? { id: row.id, familyId: row.familyId, userId: row.userId, expiresAt: row.expiresAt, revoked: row.revoked }
      : null;
  }

  async markUsed(id: string): Promise<boolean> {
    const row = this.rows.find((candidate) => candidate.id === id);
    if (!row || row.used || row.revoked) return false;
    row.used = true;
    return true;
  }

  async revokeFamily(familyId: string): Promise<void> {
    for (const row of this.rows) if (row.familyId === familyId) row.revoked = true;
  }

  /** Every stored token, for assertions (hashes only: plain tokens are never stored). */
  get all(): readonly TokenRow[] {
    return this.rows;
  }

  /** Makes a stored token expire now (spec setup). */
  expire(tokenHash: string): void {
    const row = this.rows.find((candidate) => candidate.tokenHash === tokenHash);
    if (row) row.expiresAt = new Date(Date.now() - 1);
  }
}
