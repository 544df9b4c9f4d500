export interface StoredRefreshToken {
  id: string;
  familyId: string;
  userId: string;
  expiresAt: Date;
  revoked: boolean;
}

/**
 * Refresh tokens, stored only as SHA-256 hashes (they are 256-bit random, so a fast hash is
 * enough). Tokens descending from one log-in form a family, revoked together.
 */
export abstract class RefreshTokens {
  abstract create(token: { userId: string; familyId: string; tokenHash: string; expiresAt: Date }): Promise<void>;
  abstract findByHash(tokenHash: string): Promise<StoredRefreshToken | null>;
  /** Marks a token used; false when it was used already (or concurrently): a reuse. */
  abstract markUsed(id: string): Promise<boolean>;
  abstract revokeFamily(familyId: string): Promise<void>;
}
