import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { UserResponse } from '@app/contracts';
import { Email, InvalidCredentialsError, type User } from '../../../domain/index.js';
import { PasswordHasher } from '../../ports/password-hasher.port.js';
import { UserRepository } from '../../ports/user.repository.port.js';
import { toUserResponse } from '../../user-response.mapper.js';
import { AuthenticateQuery } from './authenticate.query.js';

/**
 * Checks an email and password. An unknown email, a malformed one and a wrong password all
 * give the same error after the same work (a hash verification), so none can be probed.
 */
@QueryHandler(AuthenticateQuery)
export class AuthenticateHandler implements IQueryHandler<AuthenticateQuery, UserResponse> {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async execute(query: AuthenticateQuery): Promise<UserResponse> {
    const password = typeof query.password === 'string' ? query.password : '';
    const user = await this.findUser(query.email);
    const valid = await this.hasher.verify(user?.passwordHash.value ?? null, password);
    if (!user || !valid) throw new InvalidCredentialsError();
    return toUserResponse(user);
  }

  private async findUser(rawEmail: unknown): Promise<User | null> {
    let email: Email;
    try {
      email = Email.create(rawEmail);
    } catch {
      return null; // a malformed email is just another unknown one
    }
    return this.users.findByEmail(email);
  }
}
