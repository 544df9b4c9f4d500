import { Command } from '@nestjs/cqrs';
import type { Actor, UserResponse } from '@app/contracts';

/** Changes a user's name and/or email; a field left undefined stays as it is. */
export class UpdateProfileCommand extends Command<UserResponse> {
  constructor(
    readonly actor: Actor,
    readonly userId: string,
    readonly name: string | undefined,
    readonly email: string | undefined,
  ) {
    super();
  }
}
