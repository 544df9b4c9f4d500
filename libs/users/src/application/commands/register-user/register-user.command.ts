import { Command } from '@nestjs/cqrs';
import type { UserResponse } from '@app/contracts';
import type { UserRole } from '../../../domain/index.js';

export class RegisterUserCommand extends Command<UserResponse> {
  constructor(
    readonly email: string,
    readonly password: string,
    readonly name: string,
    readonly role: UserRole = 'user',
  ) {
    super();
  }
}
