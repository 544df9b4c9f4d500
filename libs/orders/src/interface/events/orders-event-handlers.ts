import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { PaymentsEvents, UsersEvents } from '@app/contracts';
import { EventSubscriptions, subscribe } from '@app/messaging';
import {
  ConfirmOrderCommand,
  MarkPaymentRefundedCommand,
  MarkPaymentVoidedCommand,
  RejectDeclinedOrderCommand,
  RejectOrderCommand,
  RequestOrderPaymentCommand,
} from '../../application/index.js';

/**
 * The integration events the orders saga reacts to: the users service's credit answers and the
 * payments service's payment answers.
 */
@Injectable()
export class OrdersEventHandlers implements OnModuleInit {
  constructor(
    private readonly subscriptions: EventSubscriptions,
    private readonly commands: CommandBus,
  ) {}

  onModuleInit(): void {
    // Each answer changes its order only: one order's answers in turn, other orders' at once.
    const byOrder = { orderingKey: (payload: { orderId: string }) => payload.orderId };
    this.subscriptions.add(
      subscribe(
        UsersEvents.creditReserved,
        ({ payload }) => this.commands.execute(new RequestOrderPaymentCommand(payload.orderId)),
        byOrder,
      ),
      subscribe(
        UsersEvents.creditRejected,
        ({ payload }) => this.commands.execute(new RejectOrderCommand(payload.orderId, payload.reason)),
        byOrder,
      ),
      subscribe(
        PaymentsEvents.paymentCaptured,
        ({ payload }) => this.commands.execute(new ConfirmOrderCommand(payload.orderId)),
        byOrder,
      ),
      subscribe(
        PaymentsEvents.paymentDeclined,
        ({ payload }) => this.commands.execute(new RejectDeclinedOrderCommand(payload.orderId)),
        byOrder,
      ),
      subscribe(
        PaymentsEvents.paymentRefunded,
        ({ payload }) => this.commands.execute(new MarkPaymentRefundedCommand(payload.orderId)),
        byOrder,
      ),
      subscribe(
        PaymentsEvents.paymentVoided,
        ({ payload }) => this.commands.execute(new MarkPaymentVoidedCommand(payload.orderId)),
        byOrder,
      ),
    );
  }
}
