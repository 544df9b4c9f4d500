import { UnitOfWork } from './unit-of-work.js';

/** A store whose state a unit of work can put back when it rolls back. */
export interface TransactionalStore {
  snapshot(): unknown;
  restore(snapshot: unknown): void;
}

/**
 * The unit of work of the in-memory ports, for handler specs: nested runs join the outer one;
 * when the outer one throws, every registered store is put back as it was, and callbacks
 * registered with `afterCommit` run only when it succeeds.
 */
export class InMemoryUnitOfWork extends UnitOfWork {
  private readonly stores: TransactionalStore[] = [];
  private pending: (() => void)[] | null = null;
  /** How many units of work committed; specs use it to see that steps shared one. */
  commits = 0;

  register(store: TransactionalStore): void {
    this.stores.push(store);
  }

  get inUnitOfWork(): boolean {
    return this.pending !== null;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.pending) return work();
    const snapshots = this.stores.map((store) => store.snapshot());
    const callbacks: (() => void)[] = [];
    this.pending = callbacks;
    try {
      const result = await work();
      this.pending = null;
      this.commits += 1;
      for (const callback of callbacks) callback();
      return result;
    } catch (error) {
      this.pending = null;
      this.stores.forEach((store, i) => store.restore(snapshots[i]));
      throw error;
    }
  }

  /** Runs `callback` once the current unit of work commits (at once outside one). */
  afterCommit(callback: () => void): void {
    if (this.pending) this.pending.push(callback);
    else callback();
  }
}
