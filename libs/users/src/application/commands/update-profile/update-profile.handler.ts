import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { UserResponse } from '@app/contracts';
import { UnitOfWork } from '@app/ddd';
import { Email, Name, UserNotFoundError } from '../../../domain/index.js';
import { UserRepository } from '../../ports/user.repository.port.js';
import { UsersOutbox } from '../../ports/users-outbox.port.js';
import { assertMayAccessUser } from '../../user-access.policy.js';
import { toUserResponse } from '../../user-response.mapper.js';
import { UpdateProfileCommand } from './update-profile.command.js';

/** Changes a user's name and/or email; UserProfileUpdated goes out when something really changed. */
@CommandHandler(UpdateProfileCommand)
export class UpdateProfileHandler implements ICommandHandler<UpdateProfileCommand, UserResponse> {
  constructor(
    private readonly users: UserRepository,
    private readonly outbox: UsersOutbox,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async execute(command: UpdateProfileCommand): Promise<UserResponse> {
    assertMayAccessUser(command.actor, command.userId);
    const changes = {
      name: command.name === undefined ? undefined : Name.create(command.name),
      email: command.email === undefined ? undefined : Email.create(command.email),
    };
    const user = await this.users.findById(command.userId);
    if (!user) throw new UserNotFoundError(command.userId);
    user.updateProfile(changes, new Date());
    await this.unitOfWork.run(async () => {
      await this.users.save(user);
      await this.outbox.append(user.uncommittedEvents);
    });
    return toUserResponse(user);
  }
}
