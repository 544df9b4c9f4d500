import { ITEMS_RULE, ORDER_ITEMS_MAX } from '@app/contracts';
import { AggregateRoot, ValidationFailedError } from '@app/ddd';
import type { Currency } from './currency.value-object.js';
import type { OrderLine } from './order-line.value-object.js';
import type { OrderPaymentStatus } from './order-payment-status.js';
import type { OrderStatus } from './order-status.js';
import { OrderNotCancellableError } from './order.errors.js';
import { OrderCancelledEvent } from './order-cancelled.domain-event.js';
import { OrderConfirmedEvent } from './order-confirmed.domain-event.js';
import { OrderPlacedEvent } from './order-placed.domain-event.js';
import { OrderRejectedEvent } from './order-rejected.domain-event.js';
import { PaymentRequestedEvent } from './payment-requested.domain-event.js';

const CANCELLED_BY_USER = 'CANCELLED_BY_USER';
const SAGA_TIMEOUT = 'SAGA_TIMEOUT';
const PAYMENT_DECLINED = 'PAYMENT_DECLINED';

export interface OrderState {
  userId: string;
  lines: readonly OrderLine[];
  currency: Currency;
  totalCents: number;
  status: OrderStatus;
  rejectionReason: string | null;
  paymentStatus: OrderPaymentStatus;
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
 * A user's order, and the persisted state of its saga. It starts PENDING with its payment
 * NOT_REQUESTED; once the users service reserves the credit the payment is REQUESTED, and the
 * payments service's answer settles it (CONFIRMED with the payment CAPTURED, or REJECTED with it
 * DECLINED). REJECTED and CANCELLED are final; only a refund still changes their payment status.
 * Methods that may be triggered by redelivered or late messages return `true` when they changed
 * the order and `false` when they were a no-op.
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
      paymentStatus: 'NOT_REQUESTED',
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
  get paymentStatus(): OrderPaymentStatus {
    return this.state.paymentStatus;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get updatedAt(): Date {
    return this.state.updatedAt;
  }
  /** The saga has ended for this order (payment answer, credit refusal, cancellation or timeout); only PENDING is unsettled. */
  get isSettled(): boolean {
    return this.state.status !== 'PENDING';
  }

  /**
   * The credit is reserved: PENDING with NOT_REQUESTED → payment REQUESTED, recording
   * PaymentRequested. A redelivered reservation, or one for an order settled meanwhile (timed out,
   * cancelled: the users service releases it on the OrderCancelled it got), changes nothing.
   */
  requestPayment(now: Date): boolean {
    if (this.state.status !== 'PENDING' || this.state.paymentStatus !== 'NOT_REQUESTED') return false;
    this.state = { ...this.state, paymentStatus: 'REQUESTED', updatedAt: now };
    this.record(
      new PaymentRequestedEvent(this.id, now, this.state.userId, this.state.totalCents, this.state.currency.value),
    );
    return true;
  }

  /**
   * The payment is captured: PENDING with REQUESTED → CONFIRMED with CAPTURED. A redelivered or
   * late capture for a settled order changes nothing (the payments service refunds a capture
   * whose order was cancelled on its own).
   */
  confirm(now: Date): boolean {
    if (this.state.status !== 'PENDING' || this.state.paymentStatus !== 'REQUESTED') return false;
    this.state = { ...this.state, status: 'CONFIRMED', paymentStatus: 'CAPTURED', updatedAt: now };
    this.record(new OrderConfirmedEvent(this.id, now, this.state.userId, this.state.totalCents));
    return true;
  }

  /** The credit is refused: PENDING → REJECTED. A redelivered or late answer for a settled order changes nothing. */
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

  /**
   * The provider refused the charge: PENDING with REQUESTED → REJECTED (PAYMENT_DECLINED) with the
   * payment DECLINED. Records OrderCancelled too, as a timeout does, so the users service
   * releases the credit it reserved. A redelivered or late decline changes nothing.
   */
  rejectPaymentDeclined(now: Date): boolean {
    if (this.state.status !== 'PENDING' || this.state.paymentStatus !== 'REQUESTED') return false;
    this.state = {
      ...this.state,
      status: 'REJECTED',
      rejectionReason: PAYMENT_DECLINED,
      paymentStatus: 'DECLINED',
      updatedAt: now,
    };
    this.record(new OrderRejectedEvent(this.id, now, this.state.userId, PAYMENT_DECLINED));
    this.record(
      new OrderCancelledEvent(this.id, now, this.state.userId, this.state.totalCents, 'PENDING', PAYMENT_DECLINED),
    );
    return true;
  }

  /**
   * The payments service gave back what it had charged (a cancelled order, or a capture that came
   * back after the order was settled): the payment is REFUNDED, the order's status unchanged. Only
   * a payment that was asked for can have been charged; a redelivered refund changes nothing.
   */
  paymentRefunded(now: Date): boolean {
    const { paymentStatus } = this.state;
    // VOIDED too: a capture that came back after the void is refunded, and the refund says so.
    if (paymentStatus !== 'REQUESTED' && paymentStatus !== 'CAPTURED' && paymentStatus !== 'VOIDED') return false;
    this.state = { ...this.state, paymentStatus: 'REFUNDED', updatedAt: now };
    return true;
  }
  /**
   * The payments service voided the payment for good, nothing charged (the order was cancelled
   * or timed out before a capture was kept): REQUESTED → VOIDED, the order's status unchanged. A
   * redelivered void, or one for a payment that was never asked for, changes nothing.
   */
  paymentVoided(now: Date): boolean {
    if (this.state.paymentStatus !== 'REQUESTED' || this.state.status === 'PENDING') return false;
    this.state = { ...this.state, paymentStatus: 'VOIDED', updatedAt: now };
    return true;
  }
}

function invalidItems(reason: string): ValidationFailedError {
  return new ValidationFailedError(`items ${reason}`, { fields: [{ field: 'items', message: reason }] });
}
