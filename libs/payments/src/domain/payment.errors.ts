import { PaymentsErrorCodes } from '@app/contracts';
import { DomainError } from '@app/ddd';

export class PaymentNotFoundError extends DomainError {
  readonly code = PaymentsErrorCodes.paymentNotFound;
  constructor(orderId: string) {
    super(`no payment for order ${orderId}`);
  }
}
