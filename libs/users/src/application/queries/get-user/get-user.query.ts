import type { Actor } from '@app/contracts';

export class GetUserQuery {
  constructor(
    readonly actor: Actor,
    readonly userId: string,
  ) {}
}
