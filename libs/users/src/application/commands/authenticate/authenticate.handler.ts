import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { SessionResponse } from '@app/contracts';
import { UnitOfWork } from '@app/ddd';
import { Email, InvalidCredentialsError, PasswordHash, type User } from '../../../domain/index.js';
import { PasswordHasher } from '../../ports/password-hasher.port.js';
import { UserRepository } from '../../ports/user.repository.port.js';
import { SessionIssuer } from '../../session-issuer.js';
import { toUserResponse } from '../../user-response.mapper.js';
import { AuthenticateCommand } from './authenticate.command.js';

/**
 * Checks an email and password and opens a session. An unknown email, a malformed one and a
 * wrong password all give the same error after the same work (a hash verification), so none
 * can be probed. A hash made with older parameters is upgraded on the way.
 */
@CommandHandler(AuthenticateCommand)
export class AuthenticateHandler implements ICommandHandler<AuthenticateCommand, SessionResponse> {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionIssuer,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async execute(command: AuthenticateCommand): Promise<SessionResponse> {
    const { password } = command;
    const user = await this.findUser(command.email);
    const valid = await this.hasher.verify(user?.passwordHash.value ?? null, password);
    if (!user || !valid) throw new InvalidCredentialsError();
    return this.unitOfWork.run(async () => {
      if (this.hasher.needsRehash(user.passwordHash.value)) {
        user.changePasswordHash(PasswordHash.fromHash(await this.hasher.hash(password)), new Date());
        await this.users.save(user);
      }
      const session = await this.sessions.issue(user.id);
      return {
        user: toUserResponse(user),
        refreshToken: session.refreshToken,
        refreshTokenExpiresAt: session.expiresAt.toISOString(),
      };
    });
  }

  private async findUser(rawEmail: string): Promise<User | null> {
    let email: Email;
    try {
      email = Email.create(rawEmail);
    } catch {
      return null; // a malformed email is just another unknown one
    }
    return this.users.findByEmail(email);
  }
}
