import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { UserResponse } from '@app/contracts';
import { Email, Name, Password, PasswordHash, User } from '../../../domain/index.js';
import { PasswordHasher } from '../../ports/password-hasher.port.js';
import { UserRepository } from '../../ports/user.repository.port.js';
import { toUserResponse } from '../../user-response.mapper.js';
import { USERS_OPTIONS, type UsersOptions } from '../../users-options.js';
import { RegisterUserCommand } from './register-user.command.js';

@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand, UserResponse> {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    @Inject(USERS_OPTIONS) private readonly options: UsersOptions,
  ) {}

  async execute(command: RegisterUserCommand): Promise<UserResponse> {
    const email = Email.create(command.email);
    const name = Name.create(command.name);
    const password = Password.create(command.password);
    const user = User.register({
      id: randomUUID(),
      email,
      name,
      passwordHash: PasswordHash.fromHash(await this.hasher.hash(password.value)),
      role: command.role,
      creditLimitCents: this.options.creditLimitDefaultCents,
      now: new Date(),
    });
    await this.users.save(user);
    return toUserResponse(user);
  }
}
