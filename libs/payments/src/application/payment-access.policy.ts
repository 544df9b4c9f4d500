import type { Actor } from '@app/contracts';

/** Only its owner or an admin may see a payment; to anyone else it does not exist (as for orders). */
export function mayAccessPayment(actor: Actor, ownerId: string): boolean {
  return actor.role === 'admin' || actor.id === ownerId;
}
