import { Command } from '@nestjs/cqrs';
import type { SessionResponse } from '@app/contracts';

/** Log in: check the credentials, then open a session (a new refresh-token family). */
export class AuthenticateCommand extends Command<SessionResponse> {
  constructor(
    readonly email: string,
    readonly password: string,
  ) {
    super();
  }
}
