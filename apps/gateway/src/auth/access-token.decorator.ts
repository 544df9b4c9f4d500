import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from './actor.js';

/**
 * The caller's access token, as verified by AccessTokenGuard: what an RPC acting for the caller
 * forwards (`Authenticated`), for the service to verify again rather than trust the gateway's word.
 */
export const AccessToken = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const token = context.switchToHttp().getRequest<AuthenticatedRequest>().accessToken;
  if (!token) throw new Error('AccessToken used on a public route');
  return token;
});
