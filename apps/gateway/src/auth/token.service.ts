import { Inject, Injectable } from '@nestjs/common';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { Roles, type Actor, type Role } from '@app/contracts';
import { JWT_ALGORITHM, type SigningKeys } from './signing-keys.js';
import { VerifiedTokenCache } from './verified-token.cache.js';

export const SIGNING_KEYS = Symbol('SIGNING_KEYS');
export const TOKEN_OPTIONS = Symbol('TOKEN_OPTIONS');

export interface TokenOptions {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

const CLOCK_TOLERANCE_SECONDS = 30;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class InvalidTokenError extends Error {}

/** Issues and verifies access tokens: EdDSA only, with kid, iss, aud and a short exp. */
@Injectable()
export class TokenService {
  private readonly verified = new VerifiedTokenCache();

  constructor(
    @Inject(SIGNING_KEYS) private readonly keys: SigningKeys,
    @Inject(TOKEN_OPTIONS) private readonly options: TokenOptions,
  ) {}

  get ttlSeconds(): number {
    return this.options.ttlSeconds;
  }

  issue(actor: Actor): Promise<string> {
    return new SignJWT({ role: actor.role })
      .setProtectedHeader({ alg: JWT_ALGORITHM, kid: this.keys.kid, typ: 'JWT' })
      .setSubject(actor.id)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt()
      .setExpirationTime(`${this.options.ttlSeconds}s`)
      .sign(this.keys.privateKey);
  }

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
        (header) => {
          const key = header.kid ? this.keys.verificationKeys.get(header.kid) : undefined;
          if (!key) throw new InvalidTokenError('unknown key id');
          return key;
        },
        {
          algorithms: [JWT_ALGORITHM],
          issuer: this.options.issuer,
          audience: this.options.audience,
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
