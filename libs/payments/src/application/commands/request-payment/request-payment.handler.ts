import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '@app/ddd';
import { Payment } from '../../../domain/index.js';
import { PaymentRepository } from '../../ports/payment.repository.port.js';
import { ProcessorSignal } from '../../ports/processor-signal.port.js';
import { RequestPaymentCommand } from './request-payment.command.js';

/**
 * Records the order's payment PENDING, and nothing else: the provider is called by the
 * processor, outside this transaction. A request for an order that already has a payment (a
 * redelivery, or a VOIDED tombstone of an order cancelled first) changes nothing: never charge twice.
 */
@CommandHandler(RequestPaymentCommand)
export class RequestPaymentHandler implements ICommandHandler<RequestPaymentCommand, void> {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly signal: ProcessorSignal,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  execute({ orderId, userId, amountCents, currency }: RequestPaymentCommand): Promise<void> {
    return this.unitOfWork.run(async () => {
      if (await this.payments.findByOrderId(orderId)) return;
      const payment = Payment.request({ id: randomUUID(), orderId, userId, amountCents, currency, now: new Date() });
      await this.payments.save(payment);
      this.signal.notifyAfterCommit();
    });
  }
}
