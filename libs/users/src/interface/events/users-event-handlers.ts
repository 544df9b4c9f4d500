import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { OrdersEvents } from '@app/contracts';
import { EventSubscriptions, subscribe } from '@app/messaging';
import { ReleaseCreditCommand, ReserveCreditCommand } from '../../application/index.js';

/** The integration events the users context reacts to: its part of the order saga. */
@Injectable()
export class UsersEventHandlers implements OnModuleInit {
  constructor(
    private readonly subscriptions: EventSubscriptions,
    private readonly commands: CommandBus,
  ) {}

  onModuleInit(): void {
    // Both lock the user's credit: one user's events are handled in turn, other users' at once.
    const byUser = { orderingKey: (payload: { userId: string }) => payload.userId };
    this.subscriptions.add(
      subscribe(
        OrdersEvents.orderPlaced,
        ({ payload }) =>
          this.commands.execute(new ReserveCreditCommand(payload.orderId, payload.userId, payload.totalCents)),
        byUser,
      ),
      subscribe(
        OrdersEvents.orderCancelled,
        ({ payload }) => this.commands.execute(new ReleaseCreditCommand(payload.orderId, payload.userId)),
        byUser,
      ),
    );
  }
}
