import { actsFor, type Actor } from '@app/contracts';
import { AccessDeniedError } from '../domain/index.js';

/** A user may see and change only themselves; an admin may see and change anyone. */
export function assertMayAccessUser(actor: Actor, userId: string): void {
  if (!actsFor(actor, userId)) throw new AccessDeniedError();
}
