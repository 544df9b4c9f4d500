import type { UserListResponse, UserResponse } from '@app/contracts';
import type { UserReadModel } from '../ports/user-read-model.port.js';
import { toUserResponse } from '../user-response.mapper.js';
import type { InMemoryUserRepository } from './in-memory-user.repository.js';

/** The query side over the in-memory users: what the API would show. */
export class InMemoryUserReadModel implements UserReadModel {
  constructor(private readonly users: InMemoryUserRepository) {}

  async findById(id: string): Promise<UserResponse | null> {
    const user = await this.users.findById(id);
    return user ? toUserResponse(user) : null;
  }

  list(): Promise<UserListResponse> {
    throw new Error('not used by the command handlers');
  }
}
