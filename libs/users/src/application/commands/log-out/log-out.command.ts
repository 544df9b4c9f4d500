/** End the session a refresh token belongs to (its whole family). */
export class LogOutCommand {
  constructor(readonly refreshToken: unknown) {}
}
