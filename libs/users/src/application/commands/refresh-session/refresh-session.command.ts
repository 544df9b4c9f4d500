/** Trade a refresh token for a new one (and the user, for a new access token). */
export class RefreshSessionCommand {
  constructor(readonly refreshToken: unknown) {}
}
