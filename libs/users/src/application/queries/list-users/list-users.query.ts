import { Query } from '@nestjs/cqrs';
import type { Actor, UserListResponse } from '@app/contracts';

export class ListUsersQuery extends Query<UserListResponse> {
  constructor(
    readonly actor: Actor,
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {
    super();
  }
}
