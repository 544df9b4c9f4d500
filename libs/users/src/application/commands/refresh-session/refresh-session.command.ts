import { Command } from '@nestjs/cqrs';
import type { SessionResponse } from '@app/contracts';

/** Trade a refresh token for a new one (and the user, for a new access token). */
export class RefreshSessionCommand extends Command<SessionResponse> {
  constructor(readonly refreshToken: string) {
    super();
  }
}
