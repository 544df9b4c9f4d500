import type { Email, User } from '../../domain/index.js';

/** Loads and saves User aggregates: the only writer of `users`. */
export abstract class UserRepository {
  abstract findById(id: string): Promise<User | null>;
  /** Loads and locks the user until the current unit of work ends (serialises credit decisions). */
  abstract findByIdForUpdate(id: string): Promise<User | null>;
  abstract findByEmail(email: Email): Promise<User | null>;
  /**
   * Writes the user's row (its events are the caller's to append to the outbox). Throws
   * EmailTakenError on a duplicate email, ConcurrencyConflictError on a stale version.
   */
  abstract save(user: User): Promise<void>;
}
