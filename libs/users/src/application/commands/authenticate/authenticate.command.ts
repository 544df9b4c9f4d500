/** Log in: check the credentials, then open a session (a new refresh-token family). */
export class AuthenticateCommand {
  constructor(
    readonly email: unknown,
    readonly password: unknown,
  ) {}
}
