import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '@app/ddd';
import { CreditReservation } from '../../../domain/index.js';
import { CreditReservationRepository } from '../../ports/credit-reservation.repository.port.js';
import { UserRepository } from '../../ports/user.repository.port.js';
import { UsersOutbox } from '../../ports/users-outbox.port.js';
import { ReserveCreditCommand } from './reserve-credit.command.js';

/**
 * Decides an order's credit in one unit of work, with the user locked, so concurrent orders of
 * one user are decided one after another and never reserve more than the limit. The decision is
 * recorded once per order: if the order has one already (or its cancellation came first), this
 * delivery changes nothing.
 */
@CommandHandler(ReserveCreditCommand)
export class ReserveCreditHandler implements ICommandHandler<ReserveCreditCommand, void> {
  constructor(
    private readonly users: UserRepository,
    private readonly reservations: CreditReservationRepository,
    private readonly outbox: UsersOutbox,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  execute({ orderId, userId, amountCents }: ReserveCreditCommand): Promise<void> {
    return this.unitOfWork.run(async () => {
      const now = new Date();
      const user = await this.users.findByIdForUpdate(userId);
      const reservation = user
        ? user.reserveCredit(orderId, amountCents, now)
        : CreditReservation.rejectForUnknownUser(orderId, userId, amountCents, now);
      if (!(await this.reservations.add(reservation))) return;
      if (user && reservation.isReserved) await this.users.save(user);
      await this.outbox.append(reservation.uncommittedEvents);
    });
  }
}
