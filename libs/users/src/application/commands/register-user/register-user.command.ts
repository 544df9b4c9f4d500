import type { UserRole } from '../../../domain/index.js';

export class RegisterUserCommand {
  constructor(
    readonly email: unknown,
    readonly password: unknown,
    readonly name: unknown,
    readonly role: UserRole = 'user',
  ) {}
}
