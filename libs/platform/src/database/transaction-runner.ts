import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';

interface Transaction {
  manager: EntityManager;
  afterCommit: (() => void)[];
}

/**
 * The unit of work of one database. `run` starts a transaction, or joins the one already in
 * progress on this async path, so a message handler can wrap a command in the transaction
 * that also records the message in the inbox: both commit, or neither does.
 */
export class TransactionRunner {
  private readonly storage = new AsyncLocalStorage<Transaction>();

  constructor(private readonly dataSource: DataSource) {}

  /** The current transaction's manager, or the pool's outside a transaction. */
  get manager(): EntityManager {
    return this.storage.getStore()?.manager ?? this.dataSource.manager;
  }

  get inTransaction(): boolean {
    return this.storage.getStore() !== undefined;
  }

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const current = this.storage.getStore();
    if (current) return work(current.manager);
    const transaction: Transaction = { manager: this.dataSource.manager, afterCommit: [] };
    const result = await this.dataSource.transaction((manager) => {
      transaction.manager = manager;
      return this.storage.run(transaction, () => work(manager));
    });
    for (const callback of transaction.afterCommit) callback();
    return result;
  }

  /** Runs `callback` once the current transaction commits (at once outside a transaction). */
  afterCommit(callback: () => void): void {
    const current = this.storage.getStore();
    if (current) current.afterCommit.push(callback);
    else callback();
  }
}
