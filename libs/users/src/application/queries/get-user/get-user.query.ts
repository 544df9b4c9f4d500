import { Query } from '@nestjs/cqrs';
import type { Actor, UserResponse } from '@app/contracts';

export class GetUserQuery extends Query<UserResponse> {
  constructor(
    readonly actor: Actor,
    readonly userId: string,
  ) {
    super();
  }
}
