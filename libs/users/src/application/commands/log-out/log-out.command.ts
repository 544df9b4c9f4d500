import { Command } from '@nestjs/cqrs';

/** End the session a refresh token belongs to (its whole family). */
export class LogOutCommand extends Command<void> {
  constructor(readonly refreshToken: string) {
    super();
  }
}
