import { ConcurrencyConflictError } from '@app/ddd';
import { Order, type OrderState } from '../../domain/index.js';
import type { OrderRepository } from '../ports/order.repository.port.js';
import type { InMemoryUnitOfWork } from '@app/ddd';

interface StoredOrder {
  version: number;
  state: OrderState;
}

/** Orders kept as copies of their state: each load is a fresh aggregate, as from a database. */
export class InMemoryOrderRepository implements OrderRepository {
  private rows = new Map<string, StoredOrder>();
  /** Run just before the next saves write: a spec's stand-in for a concurrent writer. */
  private beforeSaves: (() => void)[] = [];

  /** What the stand-in concurrent writer committed: a rollback of ours does not undo it. */
  private concurrentWrites = new Map<string, StoredOrder>();

  constructor(private readonly unitOfWork: InMemoryUnitOfWork) {
    unitOfWork.register({
      snapshot: () => {
        this.concurrentWrites.clear();
        return new Map(this.rows);
      },
      restore: (rows) => {
        this.rows = new Map([...(rows as typeof this.rows), ...this.concurrentWrites]);
      },
    });
  }

  async findById(id: string): Promise<Order | null> {
    const row = this.rows.get(id);
    return row ? Order.restore(id, row.version, row.state) : null;
  }

  async findPendingPlacedBefore(placedBefore: Date, limit: number): Promise<string[]> {
    return [...this.rows.entries()]
      .filter(([, row]) => row.state.status === 'PENDING' && row.state.createdAt < placedBefore)
      .sort(([, a], [, b]) => a.state.createdAt.getTime() - b.state.createdAt.getTime())
      .slice(0, limit)
      .map(([id]) => id);
  }

  async save(order: Order): Promise<void> {
    this.beforeSaves.shift()?.();
    const stored = this.rows.get(order.id);
    if (order.isNew ? stored !== undefined : stored?.version !== order.version) {
      throw new ConcurrencyConflictError(`order ${order.id} was changed by someone else`);
    }
    this.rows.set(order.id, { version: order.version + 1, state: stateOf(order) });
    this.unitOfWork.afterCommit(() => order.markPersisted(order.version + 1));
  }

  /** Stores an order as if saved earlier (spec setup). */
  add(order: Order): void {
    this.rows.set(order.id, { version: order.isNew ? 1 : order.version, state: stateOf(order) });
  }

  /** The stored version and state of an order, for assertions. */
  stored(id: string): StoredOrder | undefined {
    return this.rows.get(id);
  }

  get size(): number {
    return this.rows.size;
  }

  /** Has someone else change the stored order (a new version) just before each of the next `times` saves. */
  changeBeforeNextSaves(id: string, change: (order: Order) => void, times = 1): void {
    for (let i = 0; i < times; i += 1) {
      this.beforeSaves.push(() => {
        const row = this.rows.get(id)!;
        const order = Order.restore(id, row.version, row.state);
        change(order);
        const written = { version: row.version + 1, state: stateOf(order) };
        this.rows.set(id, written);
        this.concurrentWrites.set(id, written);
      });
    }
  }
}

function stateOf(order: Order): OrderState {
  return {
    userId: order.userId,
    lines: order.lines,
    currency: order.currency,
    totalCents: order.totalCents,
    status: order.status,
    rejectionReason: order.rejectionReason,
    paymentStatus: order.paymentStatus,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}
