import type { Email, User } from '../../domain/index.js';

/** Loads and saves User aggregates; `save` writes the user and its events in one transaction. */
export abstract class UserRepository {
  abstract findById(id: string): Promise<User | null>;
  /** Loads and locks the user until the current unit of work ends (serialises credit decisions). */
  abstract findByIdForUpdate(id: string): Promise<User | null>;
  abstract findByEmail(email: Email): Promise<User | null>;
  /** Throws EmailTakenError on a duplicate email, ConcurrencyConflictError on a stale version. */
  abstract save(user: User): Promise<void>;
}
