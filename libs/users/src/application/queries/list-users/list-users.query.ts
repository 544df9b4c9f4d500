import type { Actor } from '@app/contracts';

export class ListUsersQuery {
  constructor(
    readonly actor: Actor,
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {}
}
