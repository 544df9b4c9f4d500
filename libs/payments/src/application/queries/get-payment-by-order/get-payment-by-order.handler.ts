import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { actsFor, type PaymentResponse } from '@app/contracts';
import { PaymentNotFoundError } from '../../../domain/index.js';
import { toPaymentResponse } from '../../payment-response.mapper.js';
import { PaymentRepository } from '../../ports/payment.repository.port.js';
import { GetPaymentByOrderQuery } from './get-payment-by-order.query.js';

@QueryHandler(GetPaymentByOrderQuery)
export class GetPaymentByOrderHandler implements IQueryHandler<GetPaymentByOrderQuery, PaymentResponse> {
  constructor(private readonly payments: PaymentRepository) {}

  async execute({ actor, orderId }: GetPaymentByOrderQuery): Promise<PaymentResponse> {
    const payment = await this.payments.findByOrderId(orderId);
    if (!payment || !actsFor(actor, payment.userId)) throw new PaymentNotFoundError(orderId);
    return toPaymentResponse(payment);
  }
}
