import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedRequest } from './actor.js';
import { IS_PUBLIC } from '@app/platform';
import { TokenService } from './token.service.js';

/** Every route needs a valid Bearer access token unless it is marked @Public(). */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  /** Whether each route handler is @Public(): metadata fixed at start, looked up once. */
  private readonly isPublic = new WeakMap<object, boolean>();

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const handler = context.getHandler();
    let isPublic = this.isPublic.get(handler);
    if (isPublic === undefined) {
      isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, context.getClass()]) === true;
      this.isPublic.set(handler, isPublic);
    }
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header) : null;
    if (!match) throw new UnauthorizedException('a Bearer access token is required');
    try {
      request.actor = await this.tokens.verify(match[1]!);
      request.accessToken = match[1]!;
    } catch {
      throw new UnauthorizedException('the access token is invalid or expired');
    }
    return true;
  }
}
