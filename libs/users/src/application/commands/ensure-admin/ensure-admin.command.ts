import { Command } from '@nestjs/cqrs';

/** Creates the first admin from configuration when no user has that email yet. */
export class EnsureAdminCommand extends Command<'created' | 'exists'> {
  constructor(
    readonly email: string,
    readonly password: string,
    readonly name = 'Administrator',
  ) {
    super();
  }
}
