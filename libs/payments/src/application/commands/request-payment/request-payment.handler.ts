import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '@app/ddd';
import { Payment } from '../../../domain/index.js';
import { PaymentRepository } from '../../ports/payment.repository.port.js';
import { PaymentsOutbox } from '../../ports/payments-outbox.port.js';
import { ProcessorSignal } from '../../ports/processor-signal.port.js';
import { RequestPaymentCommand } from './request-payment.command.js';

/**
 * Records the order's payment PENDING, and nothing else: the provider is called by the
 * processor, outside this transaction. A request for an order that already has a payment (a
 * redelivery) changes nothing: never charge twice. One that finds the VOIDED tombstone of its
 * order's cancellation (which overtook it) charges nothing either, and answers PaymentVoided
 * once, so the order does not show its payment REQUESTED for ever.
 */
@CommandHandler(RequestPaymentCommand)
export class RequestPaymentHandler implements ICommandHandler<RequestPaymentCommand, void> {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly outbox: PaymentsOutbox,
    private readonly signal: ProcessorSignal,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  execute({ orderId, userId, amountCents, currency }: RequestPaymentCommand): Promise<void> {
    return this.unitOfWork.run(async () => {
      const existing = await this.payments.findByOrderId(orderId);
      if (existing) {
        if (!existing.answerLateRequest(amountCents, currency, new Date())) return;
        await this.payments.save(existing);
        await this.outbox.append(existing.uncommittedEvents);
        return;
      }
      const payment = Payment.request({ id: randomUUID(), orderId, userId, amountCents, currency, now: new Date() });
      await this.payments.save(payment);
      this.signal.notifyAfterCommit();
    });
  }
}
