import { Controller, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Payload } from '@nestjs/microservices';
import { PaymentsRpc, type GetPaymentByOrderRequest, type PaymentResponse } from '@app/contracts';
import { ActorVerifier, RpcErrorFilter, RpcHandler } from '@app/messaging';
import { GetPaymentByOrderQuery } from '../../application/index.js';

/**
 * The payments context's RPC surface: reading an order's payment. The caller comes from the
 * access token the request carries, verified (ActorVerifier), never from the payload; a payment
 * of someone else's order does not exist for them.
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class PaymentsRpcController {
  constructor(
    private readonly queries: QueryBus,
    private readonly actors: ActorVerifier,
  ) {}

  @RpcHandler(PaymentsRpc.getByOrder)
  async getByOrder(@Payload() request: GetPaymentByOrderRequest): Promise<PaymentResponse> {
    const actor = await this.actors.actorOf(request.accessToken);
    return this.queries.execute(new GetPaymentByOrderQuery(actor, request.orderId));
  }
}
