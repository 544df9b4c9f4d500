import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from '@jest/globals';
import type { PaymentsOptions } from '../../payments-options.js';
import type { PaymentOrigin } from '../../ports/work-origin.port.js';
import { inMemoryPaymentsPorts, type InMemoryPaymentsPorts } from '../../testing/in-memory-payments-ports.js';
import { CompensatePaymentHandler } from '../compensate-payment/compensate-payment.handler.js';
import { CompensatePaymentCommand } from '../compensate-payment/compensate-payment.command.js';
import { RequestPaymentCommand } from '../request-payment/request-payment.command.js';
import { RequestPaymentHandler } from '../request-payment/request-payment.handler.js';
import { ProcessDuePaymentsCommand } from './process-due-payments.command.js';
import { ProcessDuePaymentsHandler } from './process-due-payments.handler.js';

const OPTIONS: PaymentsOptions = {
  processIntervalMs: 100,
  processBatch: 50,
  processConcurrency: 4,
  leaseMs: 5000,
  retryBaseMs: 200,
  retryMaxMs: 1000,
};

let ports: InMemoryPaymentsPorts;
let processor: ProcessDuePaymentsHandler;
let requestPayment: RequestPaymentHandler;
let compensate: CompensatePaymentHandler;
const userId = randomUUID();

beforeEach(() => {
  ports = inMemoryPaymentsPorts();
  processor = new ProcessDuePaymentsHandler(
    ports.payments,
    ports.provider,
    ports.outbox,
    ports.metrics,
    ports.unitOfWork,
    ports.origins,
    OPTIONS,
  );
  requestPayment = new RequestPaymentHandler(ports.payments, ports.outbox, ports.signal, ports.unitOfWork);
  compensate = new CompensatePaymentHandler(
    ports.payments,
    ports.outbox,
    ports.metrics,
    ports.signal,
    ports.unitOfWork,
  );
});

async function requested(amountCents = 2500): Promise<string> {
  const orderId = randomUUID();
  await requestPayment.execute(new RequestPaymentCommand(orderId, userId, amountCents, 'EUR'));
  return orderId;
}

const run = () => processor.execute(new ProcessDuePaymentsCommand(50));
const eventTypes = () => ports.outbox.events.map((event) => event.type);

describe('RequestPayment and CompensatePayment', () => {
  it('records a PENDING payment and wakes the processor, without calling the provider', async () => {
    const orderId = await requested();
    expect(ports.payments.stored(orderId)).toMatchObject({ status: 'PENDING', amountCents: 2500, attempts: 0 });
    expect(ports.signal.wakeUps).toBe(1);
    expect(ports.provider.calls).toEqual([]);
  });

  it('ignores a redelivered request', async () => {
    const orderId = await requested();
    await requestPayment.execute(new RequestPaymentCommand(orderId, userId, 9999, 'EUR'));
    expect(ports.payments.stored(orderId)).toMatchObject({ amountCents: 2500, version: 1 });
  });

  it('voids a payment never asked of the provider at once, with PaymentVoided, and never asks it', async () => {
    const orderId = await requested();
    await compensate.execute(new CompensatePaymentCommand(orderId, userId));
    expect(ports.payments.stored(orderId)).toMatchObject({ status: 'VOIDED', nextAttemptAt: null });
    expect(eventTypes()).toEqual(['PaymentVoided']);
    await run();
    expect(ports.provider.calls).toEqual([]);
  });

  it('leaves a tombstone for a cancellation that comes first, so the late request charges nothing', async () => {
    const orderId = randomUUID();
    await compensate.execute(new CompensatePaymentCommand(orderId, userId));
    await requestPayment.execute(new RequestPaymentCommand(orderId, userId, 2500, 'EUR'));
    await run();
    expect(ports.payments.stored(orderId)).toMatchObject({ status: 'VOIDED', nextAttemptAt: null });
    expect(ports.provider.calls).toEqual([]);
    // The order shows its payment REQUESTED: it learns the payment is void, once.
    expect(eventTypes()).toEqual(['PaymentVoided']);
    await requestPayment.execute(new RequestPaymentCommand(orderId, userId, 2500, 'EUR'));
    expect(eventTypes()).toEqual(['PaymentVoided']);
    expect(ports.payments.stored(orderId)).toMatchObject({ status: 'VOIDED', amountCents: 2500 });
  });
});

describe('ProcessDuePayments', () => {
  it('captures a due payment outside the unit of work, then records it with PaymentCaptured in one', async () => {
    const orderId = await requested();
    const commitsBefore = ports.unitOfWork.commits;

    expect(await run()).toBe(1);

    expect(ports.provider.calls).toEqual([`capture capture:${orderId}`]);
    expect(ports.payments.stored(orderId)).toMatchObject({ status: 'CAPTURED', attempts: 1, leaseUntil: null });
    expect(eventTypes()).toEqual(['PaymentCaptured']);
    expect(ports.unitOfWork.commits).toBe(commitsBefore + 1);
    expect(ports.metrics.outcomes).toEqual(['captured']);
    expect(await run()).toBe(0);
  });

  it('records a decline with PaymentDeclined', async () => {
    const orderId = await requested();
    ports.provider.scriptCaptures({ outcome: 'declined', reason: 'AMOUNT_OVER_LIMIT' });
    await run();
    expect(ports.payments.stored(orderId)).toMatchObject({ status: 'DECLINED', declineReason: 'AMOUNT_OVER_LIMIT' });
    expect(eventTypes()).toEqual(['PaymentDeclined']);
  });

  it('keeps a payment PENDING after a transient failure, due again after a capped backoff', async () => {
    const orderId = await requested();
    ports.provider.scriptCaptures('unavailable');
    const before = Date.now();
    await run();
    const stored = ports.payments.stored(orderId)!;
    expect(stored).toMatchObject({ status: 'PENDING', attempts: 1, leaseUntil: null });
    const delay = stored.nextAttemptAt!.getTime() - before;
    expect(delay).toBeGreaterThanOrEqual(OPTIONS.retryBaseMs / 2 - 5);
    expect(delay).toBeLessThanOrEqual(OPTIONS.retryMaxMs + 50);
    expect(eventTypes()).toEqual([]);
    expect(await run()).toBe(0); // not due yet
  });

  it('a charge the provider made before failing is found again under the same key: one charge', async () => {
    const orderId = await requested();
    ports.provider.scriptCaptures('unavailable-after-charging');
    await run();
    const stored = ports.payments.stored(orderId)!;
    expect(stored.status).toBe('PENDING');
    // due again: the processor runs once the backoff passed
    await new Promise((resolve) => setTimeout(resolve, stored.nextAttemptAt!.getTime() - Date.now() + 5));
    await run();
    expect(ports.payments.stored(orderId)).toMatchObject({ status: 'CAPTURED', attempts: 2 });
    expect([...ports.provider.charges.keys()]).toEqual([`capture:${orderId}`]);
    expect(eventTypes()).toEqual(['PaymentCaptured']);
  });

  it("ignores a cancellation that names another user than the payment's: nothing is refunded", async () => {
    const orderId = await requested();
    await run();
    await compensate.execute(new CompensatePaymentCommand(orderId, randomUUID()));
    expect(ports.payments.stored(orderId)).toMatchObject({ status: 'CAPTURED', refundedCents: 0 });
    await run();
    expect(ports.provider.calls).toEqual([`capture capture:${orderId}`]);
    expect(eventTypes()).toEqual(['PaymentCaptured']);
  });

  it('refunds a captured payment once the order is cancelled, with PaymentRefunded', async () => {
    const orderId = await requested();
    await run();
    await compensate.execute(new CompensatePaymentCommand(orderId, userId));
    expect(ports.payments.stored(orderId)?.status).toBe('REFUND_PENDING');
    await run();
    expect(ports.payments.stored(orderId)).toMatchObject({ status: 'REFUNDED', refundedCents: 2500 });
    expect(ports.provider.refunds.get(`refund:${orderId}`)).toBe(2500);
    expect(eventTypes()).toEqual(['PaymentCaptured', 'PaymentRefunded']);
  });

  it('a capture answer for a payment voided during the call becomes a refund: nothing stays charged', async () => {
    const orderId = await requested();
    ports.payments.changeBeforeNextSave(orderId, (payment) => payment.compensate(new Date()));
    await run();
    expect(ports.payments.stored(orderId)?.status).toBe('REFUND_PENDING');
    expect(eventTypes()).toEqual([]);
    await run();
    expect(ports.payments.stored(orderId)).toMatchObject({
      status: 'REFUNDED',
      capturedCents: 2500,
      refundedCents: 2500,
    });
    expect(ports.provider.refunds.get(`refund:${orderId}`)).toBe(2500);
  });

  it('a payment voided after a failed call asks the provider to refund whatever that call charged', async () => {
    const orderId = await requested();
    ports.provider.scriptCaptures('unavailable-after-charging');
    await run();
    await compensate.execute(new CompensatePaymentCommand(orderId, userId));
    const stored = ports.payments.stored(orderId)!;
    expect(stored).toMatchObject({ status: 'VOIDED' });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, stored.nextAttemptAt!.getTime() - Date.now()) + 5));
    await run();
    expect(ports.provider.calls.at(-1)).toBe(`refund refund:${orderId}`);
    expect(ports.payments.stored(orderId)).toMatchObject({ status: 'REFUNDED', refundedCents: 2500 });
  });

  it('a payment voided before any call is never sent to the provider', async () => {
    const orderId = await requested();
    await compensate.execute(new CompensatePaymentCommand(orderId, userId));
    expect(await run()).toBe(0);
    expect(ports.provider.calls).toEqual([]);
    expect(ports.payments.stored(orderId)).toMatchObject({ status: 'VOIDED', nextAttemptAt: null });
  });

  it('claims no payment another processor holds', async () => {
    await requested();
    await ports.payments.claimDue(new Date(), OPTIONS.leaseMs, 50);
    expect(await run()).toBe(0);
    expect(ports.provider.calls).toEqual([]);
  });
});

describe('ProcessDuePayments, in the context of the message the work came from', () => {
  const origin = (name: string): PaymentOrigin => ({
    correlationId: `corr-${name}`,
    causationId: `event-${name}`,
    trace: { traceparent: `00-${'a'.repeat(32)}-${name.padEnd(16, '0')}-01` },
  });
  const requestedUnder = async (from: PaymentOrigin): Promise<string> => {
    const orderId = randomUUID();
    await ports.origins.handling(from, () =>
      requestPayment.execute(new RequestPaymentCommand(orderId, userId, 2500, 'EUR')),
    );
    return orderId;
  };
  const appendedUnder = () => ports.outbox.rows.map(({ event, origin }) => [event.type, origin?.correlationId]);

  it('captures and records PaymentCaptured under the request that made the capture due, in one span', async () => {
    const request = origin('1234');
    const orderId = await requestedUnder(request);

    await run();

    expect(ports.origins.resumed).toEqual([
      {
        name: 'payments.process capture',
        attributes: { 'payment.id': expect.stringMatching(/^[0-9a-f-]{36}$/), 'order.id': orderId },
        origin: request,
      },
    ]);
    expect(ports.provider.origins).toEqual([request]);
    expect(appendedUnder()).toEqual([['PaymentCaptured', request.correlationId]]);
  });

  it('refunds under the cancellation that made the refund due, not under the request', async () => {
    const orderId = await requestedUnder(origin('1111'));
    await run();
    const cancellation = origin('2222');
    await ports.origins.handling(cancellation, () => compensate.execute(new CompensatePaymentCommand(orderId, userId)));

    await run();

    expect(ports.origins.resumed.map(({ name, origin }) => [name, origin?.correlationId])).toEqual([
      ['payments.process capture', 'corr-1111'],
      ['payments.process refund', 'corr-2222'],
    ]);
    expect(ports.provider.origins.map((called) => called?.correlationId)).toEqual(['corr-1111', 'corr-2222']);
    expect(appendedUnder()).toEqual([
      ['PaymentCaptured', 'corr-1111'],
      ['PaymentRefunded', 'corr-2222'],
    ]);
  });

  it("keeps the request's context across a retry: the processor's own answers do not replace it", async () => {
    const request = origin('3333');
    const orderId = await requestedUnder(request);
    ports.provider.scriptCaptures('unavailable');
    await run();
    const stored = ports.payments.stored(orderId)!;
    await new Promise((resolve) => setTimeout(resolve, stored.nextAttemptAt!.getTime() - Date.now() + 5));

    await run();

    expect(ports.provider.origins).toEqual([request, request]);
    expect(appendedUnder()).toEqual([['PaymentCaptured', request.correlationId]]);
  });

  it('processes a payment recorded outside any message without a context to continue', async () => {
    const orderId = await requested();
    await run();
    expect(ports.origins.resumed).toEqual([expect.objectContaining({ origin: null })]);
    expect(ports.provider.origins).toEqual([null]);
    expect(appendedUnder()).toEqual([['PaymentCaptured', undefined]]);
    expect(ports.payments.stored(orderId)?.status).toBe('CAPTURED');
  });
});
