import type { Actor } from '@app/contracts';

/** Only its owner or an admin may see or change an order; to anyone else it does not exist. */
export function mayAccessOrder(actor: Actor, ownerId: string): boolean {
  return actor.role === 'admin' || actor.id === ownerId;
}
