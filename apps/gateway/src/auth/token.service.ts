import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import type { Actor } from '@app/contracts';
import { AccessTokenVerifier } from '@app/messaging';
import { JWT_ALGORITHM, type SigningKeys } from './signing-keys.js';

export { InvalidTokenError } from '@app/messaging';

export const SIGNING_KEYS = Symbol('SIGNING_KEYS');
export const TOKEN_OPTIONS = Symbol('TOKEN_OPTIONS');

export interface TokenOptions {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

/**
 * Issues and verifies access tokens: EdDSA only, with kid, iss, aud and a short exp. Verifying is
 * the services' AccessTokenVerifier (same checks, same cache), with the gateway's keys.
 */
@Injectable()
export class TokenService {
  private readonly verifier: AccessTokenVerifier;

  constructor(
    @Inject(SIGNING_KEYS) private readonly keys: SigningKeys,
    @Inject(TOKEN_OPTIONS) private readonly options: TokenOptions,
  ) {
    this.verifier = new AccessTokenVerifier(async (kid) => keys.verificationKeys.get(kid), options);
  }

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
  verify(token: string): Promise<Actor> {
    return this.verifier.verify(token);
  }
}
