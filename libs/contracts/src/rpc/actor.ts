import type { z } from 'zod';
import type { authenticatedSchema } from './wire-rules.js';

/**
 * What an RPC that acts for a user carries: that user's access token, as the gateway received and
 * verified it. The service verifies it again (the gateway's public key) and takes the actor from
 * its claims; a request naming an actor any other way is not believed.
 */
export type Authenticated = z.infer<typeof authenticatedSchema>;

/** Who asks: the claims of a verified access token; services authorise against it. */
export interface Actor {
  id: string;
  role: Role;
}

export const Roles = ['user', 'admin'] as const;
export type Role = (typeof Roles)[number];

/** The one authorisation rule every context applies to what a user owns: its owner, or an admin. */
export function actsFor(actor: Actor, ownerId: string): boolean {
  return actor.role === 'admin' || actor.id === ownerId;
}
