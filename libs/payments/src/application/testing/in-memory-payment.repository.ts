import { ConcurrencyConflictError, type InMemoryUnitOfWork } from '@app/ddd';
import { Payment, type PaymentState } from '../../domain/index.js';
import type { ClaimedPayment, PaymentRepository } from '../ports/payment.repository.port.js';
import type { PaymentOrigin } from '../ports/work-origin.port.js';
import type { InMemoryWorkOrigin } from './in-memory-work-origin.js';

interface StoredPayment {
  id: string;
  version: number;
  state: PaymentState;
  leaseUntil: Date | null;
  origin: PaymentOrigin | null;
}

/**
 * Payments kept as copies of their state, by order: each load is a fresh aggregate, as from a
 * database. Like the SQL repository, a handler's save records the message being handled as the
 * origin of the payment's due work, and the processor's saves (`releaseLease`) keep it.
 */
export class InMemoryPaymentRepository implements PaymentRepository {
  private rows = new Map<string, StoredPayment>();
  /** Run just before the next save writes: a spec's stand-in for a concurrent writer. */
  private beforeSaves: (() => void)[] = [];
  /** What the stand-in concurrent writer committed: a rollback of ours does not undo it. */
  private concurrentWrites = new Map<string, StoredPayment>();

  constructor(
    private readonly unitOfWork: InMemoryUnitOfWork,
    private readonly origins: InMemoryWorkOrigin,
  ) {
    unitOfWork.register({
      snapshot: () => {
        this.concurrentWrites.clear();
        return new Map(this.rows);
      },
      restore: (rows) => (this.rows = new Map([...(rows as typeof this.rows), ...this.concurrentWrites])),
    });
  }

  async findByOrderId(orderId: string): Promise<Payment | null> {
    const row = this.rows.get(orderId);
    return row ? Payment.restore(row.id, row.version, row.state) : null;
  }

  async save(payment: Payment, options: { releaseLease?: boolean } = {}): Promise<void> {
    this.beforeSaves.shift()?.();
    const stored = this.rows.get(payment.orderId);
    if (payment.isNew ? stored !== undefined : stored?.version !== payment.version) {
      throw new ConcurrencyConflictError(`payment ${payment.id} was changed by someone else`);
    }
    const leaseUntil = options.releaseLease ? null : (stored?.leaseUntil ?? null);
    const origin = (options.releaseLease ? null : this.origins.current()) ?? stored?.origin ?? null;
    this.rows.set(payment.orderId, {
      id: payment.id,
      version: payment.version + 1,
      state: stateOf(payment),
      leaseUntil,
      origin,
    });
    this.unitOfWork.afterCommit(() => payment.markPersisted(payment.version + 1));
  }

  async claimDue(now: Date, leaseMs: number, limit: number): Promise<ClaimedPayment[]> {
    const due = [...this.rows.values()]
      .filter((row) => row.state.nextAttemptAt !== null && row.state.nextAttemptAt <= now)
      .filter((row) => row.leaseUntil === null || row.leaseUntil <= now)
      .sort((a, b) => a.state.nextAttemptAt!.getTime() - b.state.nextAttemptAt!.getTime())
      .slice(0, limit);
    return due.map((row) => {
      const claimed: StoredPayment = {
        ...row,
        version: row.version + 1,
        state: { ...row.state, attempts: row.state.attempts + 1 },
        leaseUntil: new Date(now.getTime() + leaseMs),
      };
      this.rows.set(row.state.orderId, claimed);
      return { payment: Payment.restore(claimed.id, claimed.version, claimed.state), origin: claimed.origin };
    });
  }

  /** The stored state of an order's payment, for assertions. */
  stored(orderId: string): (PaymentState & { version: number; leaseUntil: Date | null }) | undefined {
    const row = this.rows.get(orderId);
    return row ? { ...row.state, version: row.version, leaseUntil: row.leaseUntil } : undefined;
  }

  /** Has someone else change the stored payment (a new version) just before the next save. */
  changeBeforeNextSave(orderId: string, change: (payment: Payment) => void): void {
    this.beforeSaves.push(() => {
      const row = this.rows.get(orderId)!;
      const payment = Payment.restore(row.id, row.version, row.state);
      change(payment);
      const written = { ...row, version: row.version + 1, state: stateOf(payment) };
      this.rows.set(orderId, written);
      this.concurrentWrites.set(orderId, written);
    });
  }
}

function stateOf(payment: Payment): PaymentState {
  return {
    orderId: payment.orderId,
    userId: payment.userId,
    amountCents: payment.amountCents,
    currency: payment.currency,
    status: payment.status,
    providerChargeId: payment.providerChargeId,
    declineReason: payment.declineReason,
    attempts: payment.attempts,
    nextAttemptAt: payment.nextAttemptAt,
    capturedCents: payment.capturedCents,
    refundedCents: payment.refundedCents,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
  };
}
