import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '@app/ddd';
import { Payment } from '../../../domain/index.js';
import { PaymentMetrics } from '../../ports/payment-metrics.port.js';
import { PaymentRepository } from '../../ports/payment.repository.port.js';
import { PaymentsOutbox } from '../../ports/payments-outbox.port.js';
import { ProcessorSignal } from '../../ports/processor-signal.port.js';
import { CompensatePaymentCommand } from './compensate-payment.command.js';

/**
 * No payment yet: a VOIDED tombstone, so a PaymentRequested arriving later charges nothing.
 * PENDING → VOIDED, CAPTURED → REFUND_PENDING (the processor then asks the provider for the
 * money back). A payment already settled for good is left as it is, and so is one of another
 * user than the cancellation names (as the users service does with its credit: a forged or
 * garbled cancellation moves no money).
 */
@CommandHandler(CompensatePaymentCommand)
export class CompensatePaymentHandler implements ICommandHandler<CompensatePaymentCommand, void> {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly outbox: PaymentsOutbox,
    private readonly metrics: PaymentMetrics,
    private readonly signal: ProcessorSignal,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  execute({ orderId, userId }: CompensatePaymentCommand): Promise<void> {
    return this.unitOfWork.run(async () => {
      const now = new Date();
      const existing = await this.payments.findByOrderId(orderId);
      const payment = existing ?? Payment.voidBeforeRequest({ id: randomUUID(), orderId, userId, now });
      if (existing && (!existing.belongsTo(userId) || !existing.compensate(now))) return;
      await this.payments.save(payment);
      await this.outbox.append(payment.uncommittedEvents);
      this.metrics.countOutcome(payment);
      if (payment.providerWork !== null) this.signal.notifyAfterCommit();
    });
  }
}
