import { ACCESS_TOKEN_MAX_LENGTH, CommonErrorCodes, type Actor } from '@app/contracts';
import { DomainError } from '@app/ddd';
import type { AccessTokenVerifier } from './access-token-verifier.js';

/** An RPC that acts for someone came without a valid access token. */
export class UnauthenticatedError extends DomainError {
  readonly code = CommonErrorCodes.unauthenticated;
}

/**
 * Who is calling, as a service can prove it. An RPC request that acts for a user carries that
 * user's access token (`accessToken`), which the gateway verified and forwards as it came; the
 * service verifies it again here with the gateway's public key (signature, issuer, audience,
 * expiry) and takes the actor from its claims. A message on the bus naming an actor is therefore
 * worth nothing without a token the gateway's private key signed: a client of the broker can not
 * act as another user, nor as an admin. Anonymous RPCs (register, login, refresh) carry none.
 */
export class ActorVerifier {
  constructor(private readonly tokens: AccessTokenVerifier) {}

  /** The actor the request's access token stands for; UnauthenticatedError when it is absent or invalid. */
  async actorOf(accessToken: unknown): Promise<Actor> {
    if (typeof accessToken !== 'string' || accessToken === '' || accessToken.length > ACCESS_TOKEN_MAX_LENGTH) {
      throw new UnauthenticatedError('this call needs the caller access token');
    }
    try {
      return await this.tokens.verify(accessToken);
    } catch {
      throw new UnauthenticatedError('the access token is invalid or expired');
    }
  }
}
