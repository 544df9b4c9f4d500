import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ConcurrencyConflictError, UnitOfWork } from '@app/ddd';
import type { Payment } from '../../../domain/index.js';
import { PAYMENTS_OPTIONS, type PaymentsOptions } from '../../payments-options.js';
import { PaymentMetrics } from '../../ports/payment-metrics.port.js';
import {
  PaymentProvider,
  ProviderUnavailableError,
  type CaptureResult,
  type RefundResult,
} from '../../ports/payment-provider.port.js';
import { PaymentRepository, type ClaimedPayment } from '../../ports/payment.repository.port.js';
import { PaymentsOutbox } from '../../ports/payments-outbox.port.js';
import { WorkOrigin } from '../../ports/work-origin.port.js';
import { retryDelayMs } from '../../retry-backoff.js';
import { ProcessDuePaymentsCommand } from './process-due-payments.command.js';

type Answer =
  | { kind: 'capture'; result: CaptureResult }
  | { kind: 'refund'; result: RefundResult }
  | { kind: 'unavailable'; error: Error };

const RECORD_ATTEMPTS = 3;

/**
 * The payment processor's run. Claims due payments (a committed lease: no other processor
 * takes them), asks the provider for each outside any transaction, with the keys derived from
 * the order, then records each answer and its integration event in one transaction, version
 * checked. An answer that finds the payment changed meanwhile (voided by a cancellation) is
 * applied to the payment as it is now: a capture for a voided payment becomes a refund.
 * Each payment is processed in the context of the message that made its work due (its trace
 * and correlation id), so the provider call and the event it ends in continue the order's story.
 */
@CommandHandler(ProcessDuePaymentsCommand)
export class ProcessDuePaymentsHandler implements ICommandHandler<ProcessDuePaymentsCommand, number> {
  private readonly logger = new Logger(ProcessDuePaymentsHandler.name);

  constructor(
    private readonly payments: PaymentRepository,
    private readonly provider: PaymentProvider,
    private readonly outbox: PaymentsOutbox,
    private readonly metrics: PaymentMetrics,
    private readonly unitOfWork: UnitOfWork,
    private readonly origins: WorkOrigin,
    @Inject(PAYMENTS_OPTIONS) private readonly options: PaymentsOptions,
  ) {}

  async execute({ limit }: ProcessDuePaymentsCommand): Promise<number> {
    const claimed = await this.payments.claimDue(new Date(), this.options.leaseMs, limit);
    await Promise.all(claimed.map((held) => this.resume(held)));
    return claimed.length;
  }

  private resume({ payment, origin }: ClaimedPayment): Promise<void> {
    const attributes = { 'payment.id': payment.id, 'order.id': payment.orderId };
    const work = payment.providerWork;
    const name = work === null ? 'payments.process' : `payments.process ${work}`;
    return this.origins.resume(origin, name, attributes, () => this.process(payment));
  }

  private async process(claimed: Payment): Promise<void> {
    const answer = await this.ask(claimed);
    if (answer === null) return;
    let payment: Payment | null = claimed;
    for (let attempt = 1; payment !== null; attempt += 1) {
      try {
        await this.record(payment, answer);
        // In the resumed context: the line carries the order's correlation and trace ids.
        this.logger.debug(`order ${payment.orderId}: provider ${answer.kind}, payment ${payment.status}`);
        return;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || attempt >= RECORD_ATTEMPTS) throw error;
        payment = await this.payments.findByOrderId(claimed.orderId);
      }
    }
  }

  private async ask(payment: Payment): Promise<Answer | null> {
    const work = payment.providerWork;
    try {
      if (work === 'capture') {
        const result = await this.provider.capture(
          payment.captureKey,
          payment.userId,
          payment.amountCents,
          payment.currency,
          payment.orderId,
        );
        return { kind: 'capture', result };
      }
      if (work === 'refund')
        return { kind: 'refund', result: await this.provider.refund(payment.refundKey, payment.captureKey) };
      return null;
    } catch (error) {
      // Anything else from the provider's client is as unknown an outcome as a timeout: ask again later.
      if (!(error instanceof ProviderUnavailableError)) {
        this.logger.warn(`provider call for order ${payment.orderId} failed: ${String(error)}`);
      }
      return { kind: 'unavailable', error: error instanceof Error ? error : new Error(String(error)) };
    }
  }

  private record(payment: Payment, answer: Answer): Promise<void> {
    return this.unitOfWork.run(async () => {
      const now = new Date();
      if (!this.apply(payment, answer, now)) return;
      await this.payments.save(payment, { releaseLease: true });
      await this.outbox.append(payment.uncommittedEvents);
      this.metrics.countOutcome(payment);
    });
  }

  private apply(payment: Payment, answer: Answer, now: Date): boolean {
    switch (answer.kind) {
      case 'capture':
        return answer.result.outcome === 'captured'
          ? payment.recordCapture(answer.result.chargeId, now)
          : payment.recordDecline(answer.result.reason, now);
      case 'refund':
        return payment.recordRefund(answer.result.amountCents, now);
      case 'unavailable': {
        const delay = retryDelayMs(payment.attempts, this.options.retryBaseMs, this.options.retryMaxMs);
        return payment.recordProviderUnavailable(new Date(now.getTime() + delay), now);
      }
    }
  }
}
