export class AuthenticateQuery {
  constructor(
    readonly email: unknown,
    readonly password: unknown,
  ) {}
}
