import type { Actor } from '@app/contracts';

interface Entry {
  actor: Actor;
  /** Past this instant (ms) the token is expired, clock tolerance included. */
  validUntil: number;
}

/**
 * Tokens whose signature and claims were verified, until they expire. A client sends the same
 * access token with every request; checking its Ed25519 signature each time was the gateway's
 * largest single CPU cost (and each service verifies the token again). Bounded: the oldest entries go first once `capacity` is reached.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = 10_000) {}

  get(token: string, now = Date.now()): Actor | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.validUntil <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.actor;
  }

  set(token: string, actor: Actor, validUntil: number): void {
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { actor, validUntil });
  }
}
