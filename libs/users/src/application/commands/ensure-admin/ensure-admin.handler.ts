import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Email, EmailTakenError } from '../../../domain/index.js';
import { UserRepository } from '../../ports/user.repository.port.js';
import { RegisterUserCommand } from '../register-user/register-user.command.js';
import { EnsureAdminCommand } from './ensure-admin.command.js';

@CommandHandler(EnsureAdminCommand)
export class EnsureAdminHandler implements ICommandHandler<EnsureAdminCommand, 'created' | 'exists'> {
  constructor(
    private readonly users: UserRepository,
    private readonly commands: CommandBus,
  ) {}

  async execute(command: EnsureAdminCommand): Promise<'created' | 'exists'> {
    if (await this.users.findByEmail(Email.create(command.email))) return 'exists';
    try {
      await this.commands.execute(new RegisterUserCommand(command.email, command.password, command.name, 'admin'));
      return 'created';
    } catch (error) {
      if (error instanceof EmailTakenError) return 'exists'; // another replica was first
      throw error;
    }
  }
}
