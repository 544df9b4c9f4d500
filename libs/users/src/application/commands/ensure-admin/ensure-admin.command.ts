/** Creates the first admin from configuration when no user has that email yet. */
export class EnsureAdminCommand {
  constructor(
    readonly email: string,
    readonly password: string,
    readonly name = 'Administrator',
  ) {}
}
