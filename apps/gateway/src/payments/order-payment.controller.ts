import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PaymentsRpc, type PaymentResponse } from '@app/contracts';
import type { RpcClient } from '@app/messaging';
import { AccessToken } from '../auth/access-token.decorator.js';
import { EntityIdPipe } from '../http/entity-id.pipe.js';
import { ApiProblems } from '../openapi/api-problems.decorator.js';
import { PAYMENTS_CLIENT } from '../rpc/service-clients.js';
import { PaymentView } from './dto/payment.response.js';

/** An order's payment, from the payments service; who may see it is that service's decision, as for the order itself. */
@Controller('orders')
@ApiTags('payments')
@ApiBearerAuth()
@ApiProblems(401)
export class OrderPaymentController {
  constructor(@Inject(PAYMENTS_CLIENT) private readonly payments: RpcClient) {}

  /** The payment of one order: yours, or any for an admin; anyone else's, or one not asked for yet, is 404. */
  @Get(':id/payment')
  @ApiOkResponse({ type: PaymentView })
  @ApiProblems(400, 404)
  get(@AccessToken() accessToken: string, @Param('id', EntityIdPipe) id: string): Promise<PaymentResponse> {
    return this.payments.call(PaymentsRpc.getByOrder, { accessToken, orderId: id });
  }
}
