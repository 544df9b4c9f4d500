import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { UserResponse } from '@app/contracts';
import { UserNotFoundError } from '../../../domain/index.js';
import { UserReadModel } from '../../ports/user-read-model.port.js';
import { assertMayAccessUser } from '../../user-access.policy.js';
import { GetUserQuery } from './get-user.query.js';

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery, UserResponse> {
  constructor(private readonly users: UserReadModel) {}

  async execute(query: GetUserQuery): Promise<UserResponse> {
    assertMayAccessUser(query.actor, query.userId);
    const user = await this.users.findById(query.userId);
    if (!user) throw new UserNotFoundError(query.userId);
    return user;
  }
}
