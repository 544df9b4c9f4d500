import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { UserResponse } from '@app/contracts';
import { UnitOfWork } from '@app/ddd';
import { Email, Name, Password, PasswordHash, User } from '../../../domain/index.js';
import { PasswordHasher } from '../../ports/password-hasher.port.js';
import { UserRepository } from '../../ports/user.repository.port.js';
import { UsersOutbox } from '../../ports/users-outbox.port.js';
import { toUserResponse } from '../../user-response.mapper.js';
import { USERS_OPTIONS, type UsersOptions } from '../../users-options.js';
import { RegisterUserCommand } from './register-user.command.js';

/** Registers a user with the default credit limit; UserRegistered goes out with the new row. */
@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand, UserResponse> {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly outbox: UsersOutbox,
    private readonly unitOfWork: UnitOfWork,
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
    await this.unitOfWork.run(async () => {
      await this.users.save(user);
      await this.outbox.append(user.uncommittedEvents);
    });
    return toUserResponse(user);
  }
}
