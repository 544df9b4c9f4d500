import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@app/contracts';
import type { AuthenticatedRequest } from './actor.js';

/** The caller, as verified by AccessTokenGuard. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});
