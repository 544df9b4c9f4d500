import { ConcurrencyConflictError } from '@app/ddd';
import { EmailTakenError, User, type Email, type UserState } from '../../domain/index.js';
import type { UserRepository } from '../ports/user.repository.port.js';
import type { InMemoryUnitOfWork } from '@app/ddd';

interface StoredUser {
  version: number;
  state: UserState;
}

/** Users kept as copies of their state: each load is a fresh aggregate, as from a database. */
export class InMemoryUserRepository implements UserRepository {
  private rows = new Map<string, StoredUser>();

  constructor(private readonly unitOfWork: InMemoryUnitOfWork) {
    unitOfWork.register({
      snapshot: () => new Map(this.rows),
      restore: (rows) => {
        this.rows = rows as typeof this.rows;
      },
    });
  }

  async findById(id: string): Promise<User | null> {
    const row = this.rows.get(id);
    return row ? User.restore(id, row.version, row.state) : null;
  }

  async findByIdForUpdate(id: string): Promise<User | null> {
    if (!this.unitOfWork.inUnitOfWork) throw new Error('findByIdForUpdate needs a unit of work');
    return this.findById(id);
  }

  async findByEmail(email: Email): Promise<User | null> {
    const found = [...this.rows.entries()].find(([, row]) => row.state.email.equals(email));
    return found ? User.restore(found[0], found[1].version, found[1].state) : null;
  }

  async save(user: User): Promise<void> {
    const stored = this.rows.get(user.id);
    if (user.isNew ? stored !== undefined : stored?.version !== user.version) {
      throw new ConcurrencyConflictError(`user ${user.id} was changed by someone else`);
    }
    const owner = [...this.rows.entries()].find(([, row]) => row.state.email.equals(user.email))?.[0];
    if (owner !== undefined && owner !== user.id) throw new EmailTakenError();
    this.rows.set(user.id, { version: user.version + 1, state: stateOf(user) });
    this.unitOfWork.afterCommit(() => user.markPersisted(user.version + 1));
  }

  /** Stores a user as if saved earlier (spec setup). */
  add(user: User): void {
    this.rows.set(user.id, { version: user.isNew ? 1 : user.version, state: stateOf(user) });
  }

  stored(id: string): StoredUser | undefined {
    return this.rows.get(id);
  }

  get size(): number {
    return this.rows.size;
  }
}

function stateOf(user: User): UserState {
  return {
    email: user.email,
    name: user.name,
    passwordHash: user.passwordHash,
    role: user.role,
    creditLimitCents: user.creditLimitCents,
    creditReservedCents: user.creditReservedCents,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}
