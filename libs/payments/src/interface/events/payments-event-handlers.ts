import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { OrdersEvents } from '@app/contracts';
import { EventSubscriptions, subscribe } from '@app/messaging';
import { CompensatePaymentCommand, RequestPaymentCommand } from '../../application/index.js';

/** The integration events the payments context reacts to: the orders saga's request, and its cancellations. */
@Injectable()
export class PaymentsEventHandlers implements OnModuleInit {
  constructor(
    private readonly subscriptions: EventSubscriptions,
    private readonly commands: CommandBus,
  ) {}

  onModuleInit(): void {
    // A request and a cancellation of one order must apply in turn: other orders' at once.
    const byOrder = { orderingKey: (payload: { orderId: string }) => payload.orderId };
    this.subscriptions.add(
      subscribe(
        OrdersEvents.paymentRequested,
        ({ payload }) =>
          this.commands.execute(
            new RequestPaymentCommand(payload.orderId, payload.userId, payload.amountCents, payload.currency),
          ),
        byOrder,
      ),
      subscribe(
        OrdersEvents.orderCancelled,
        ({ payload }) => this.commands.execute(new CompensatePaymentCommand(payload.orderId, payload.userId)),
        byOrder,
      ),
    );
  }
}
