import type { Actor } from '@app/contracts';

export class UpdateProfileCommand {
  constructor(
    readonly actor: Actor,
    readonly userId: string,
    readonly name: unknown,
    readonly email: unknown,
  ) {}
}
