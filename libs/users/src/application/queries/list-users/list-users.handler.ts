import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { UserListResponse } from '@app/contracts';
import { AccessDeniedError } from '../../../domain/index.js';
import { UserReadModel } from '../../ports/user-read-model.port.js';
import { ListUsersQuery } from './list-users.query.js';

/** Every user, oldest first, for admins only. */
@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery, UserListResponse> {
  constructor(private readonly users: UserReadModel) {}

  execute({ actor, limit, cursor }: ListUsersQuery): Promise<UserListResponse> {
    if (actor.role !== 'admin') throw new AccessDeniedError();
    return this.users.list(limit, cursor);
  }
}
