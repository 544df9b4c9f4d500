import { ITEMS_RULE, ORDER_ITEMS_MAX } from '@app/contracts';
import { AggregateRoot, ValidationFailedError } from '@app/ddd';
import type { Currency } from './currency.value-object.js';
import type { OrderLine } from './order-line.value-object.js';
import type { OrderStatus } from './order-status.js';
import { OrderNotCancellableError } from './order.errors.js';
import { OrderCancelledEvent } from './order-cancelled.domain-event.js';
import { OrderConfirmedEvent } from './order-confirmed.domain-event.js';
import { OrderPlacedEvent } from './order-placed.domain-event.js';
import { OrderRejectedEvent } from './order-rejected.domain-event.js';

const CANCELLED_BY_USER = 'CANCELLED_BY_USER';
const SAGA_TIMEOUT = 'SAGA_TIMEOUT';

export interface OrderState {
  userId: string;
  lines: readonly OrderLine[];
  currency: Currency;
  totalCents: number;
  status: OrderStatus;
  rejectionReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PlaceOrderInput {
  id: string;
  userId: string;
  lines: readonly OrderLine[];
  currency: Currency;
  now: Date;
}

/**
 * A user's order, paid for with reserved credit. Starts PENDING until the credit answer;
 * REJECTED and CANCELLED are final. Methods that may be triggered by redelivered or late
 * messages return `true` when they changed the order and `false` when they were a no-op.
 */
export class Order extends AggregateRoot {
  private constructor(
    id: string,
    version: number,
    private state: OrderState,
  ) {
    super(id, version);
  }

  static place(input: PlaceOrderInput): Order {
    if (input.lines.length < 1 || input.lines.length > ORDER_ITEMS_MAX) {
      throw invalidItems(ITEMS_RULE);
    }
    const totalCents = input.lines.reduce((sum, line) => sum + line.lineTotalCents, 0);
    if (!Number.isSafeInteger(totalCents)) throw invalidItems('total is too large');
    const order = new Order(input.id, 0, {
      userId: input.userId,
      lines: Object.freeze([...input.lines]),
      currency: input.currency,
      totalCents,
      status: 'PENDING',
      rejectionReason: null,
      createdAt: input.now,
      updatedAt: input.now,
    });
    order.record(
      new OrderPlacedEvent(
        order.id,
        input.now,
        input.userId,
        totalCents,
        input.currency.value,
        input.lines.map((line) => line.toPrimitives()),
      ),
    );
    return order;
  }

  /** Rebuilds an order from storage; records nothing. */
  static restore(id: string, version: number, state: OrderState): Order {
    return new Order(id, version, { ...state, lines: Object.freeze([...state.lines]) });
  }

  get userId(): string {
    return this.state.userId;
  }
  get lines(): readonly OrderLine[] {
    return this.state.lines;
  }
  get currency(): Currency {
    return this.state.currency;
  }
  get totalCents(): number {
    return this.state.totalCents;
  }
  get status(): OrderStatus {
    return this.state.status;
  }
  get rejectionReason(): string | null {
    return this.state.rejectionReason;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get updatedAt(): Date {
    return this.state.updatedAt;
  }
  /** The credit answer (or a cancellation) has been applied; only PENDING is unsettled. */
  get isSettled(): boolean {
    return this.state.status !== 'PENDING';
  }

  /** PENDING → CONFIRMED. A redelivered or late answer for a settled order changes nothing. */
  confirm(now: Date): boolean {
    if (this.state.status !== 'PENDING') return false;
    this.state = { ...this.state, status: 'CONFIRMED', updatedAt: now };
    this.record(new OrderConfirmedEvent(this.id, now, this.state.userId, this.state.totalCents));
    return true;
  }

  /** PENDING → REJECTED. A redelivered or late answer for a settled order changes nothing. */
  reject(reason: string, now: Date): boolean {
    if (this.state.status !== 'PENDING') return false;
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new ValidationFailedError('reason must not be empty', {
        fields: [{ field: 'reason', message: 'must not be empty' }],
      });
    }
    this.state = { ...this.state, status: 'REJECTED', rejectionReason: reason, updatedAt: now };
    this.record(new OrderRejectedEvent(this.id, now, this.state.userId, reason));
    return true;
  }

  /** PENDING | CONFIRMED → CANCELLED, by the user. Cancelling twice is harmless; a rejected order cannot be. */
  cancel(now: Date): boolean {
    const previousStatus = this.state.status;
    if (previousStatus === 'CANCELLED') return false;
    if (previousStatus === 'REJECTED') throw new OrderNotCancellableError(previousStatus);
    this.state = { ...this.state, status: 'CANCELLED', updatedAt: now };
    this.record(
      new OrderCancelledEvent(
        this.id,
        now,
        this.state.userId,
        this.state.totalCents,
        previousStatus,
        CANCELLED_BY_USER,
      ),
    );
    return true;
  }

  /**
   * PENDING → REJECTED when the credit answer took too long. Also records OrderCancelled, so a
   * credit reservation that arrives after the timeout is released rather than kept.
   */
  expireAfterTimeout(now: Date): boolean {
    if (this.state.status !== 'PENDING') return false;
    this.state = { ...this.state, status: 'REJECTED', rejectionReason: SAGA_TIMEOUT, updatedAt: now };
    this.record(new OrderRejectedEvent(this.id, now, this.state.userId, SAGA_TIMEOUT));
    this.record(
      new OrderCancelledEvent(this.id, now, this.state.userId, this.state.totalCents, 'PENDING', SAGA_TIMEOUT),
    );
    return true;
  }
}

function invalidItems(reason: string): ValidationFailedError {
  return new ValidationFailedError(`items ${reason}`, { fields: [{ field: 'items', message: reason }] });
}
