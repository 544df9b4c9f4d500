import { jwtVerify, errors as joseErrors, type CryptoKey } from 'jose';
import { Roles, type Actor, type Role } from '@app/contracts';
import { VerifiedTokenCache } from './verified-token.cache.js';

/** The one algorithm access tokens are signed with (Ed25519). */
export const JWT_ALGORITHM = 'EdDSA';

export interface AccessTokenClaims {
  issuer: string;
  audience: string;
}

/** The public key with this key id (`kid` header), or undefined when none is known. */
export type VerificationKeyLookup = (kid: string) => Promise<CryptoKey | undefined>;

const CLOCK_TOLERANCE_SECONDS = 30;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class InvalidTokenError extends Error {}

/**
 * Checks an access token the gateway issued: EdDSA signature by a known key, issuer, audience,
 * expiry (30 s clock tolerance), and a `sub` (uuid) and `role` claim; answers the actor it
 * stands for. Needs only public keys, so the gateway and every service can hold it: a service
 * that verifies can not mint. Verified tokens are cached until they expire, so a client's
 * repeated calls cost one signature check per token, not one per call.
 */
export class AccessTokenVerifier {
  private readonly verified = new VerifiedTokenCache();

  constructor(
    private readonly keyFor: VerificationKeyLookup,
    private readonly claims: AccessTokenClaims,
  ) {}

  /** The actor a token stands for; throws InvalidTokenError for any flaw. */
  async verify(token: string): Promise<Actor> {
    const cached = this.verified.get(token);
    if (cached) return cached;
    const { actor, expiresAt } = await this.verifySignatureAndClaims(token);
    this.verified.set(token, actor, (expiresAt + CLOCK_TOLERANCE_SECONDS) * 1000);
    return actor;
  }

  private async verifySignatureAndClaims(token: string): Promise<{ actor: Actor; expiresAt: number }> {
    try {
      const { payload } = await jwtVerify(
        token,
        async (header) => {
          const key = header.kid ? await this.keyFor(header.kid) : undefined;
          if (!key) throw new InvalidTokenError('unknown key id');
          return key;
        },
        {
          algorithms: [JWT_ALGORITHM],
          issuer: this.claims.issuer,
          audience: this.claims.audience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp', 'iat', 'sub'],
        },
      );
      const role = payload.role as Role;
      if (!payload.sub || !UUID.test(payload.sub) || !Roles.includes(role)) {
        throw new InvalidTokenError('malformed claims');
      }
      return { actor: { id: payload.sub, role }, expiresAt: payload.exp! };
    } catch (error) {
      if (error instanceof InvalidTokenError || error instanceof joseErrors.JOSEError) {
        throw new InvalidTokenError(error.message);
      }
      throw new InvalidTokenError('malformed token');
    }
  }
}
