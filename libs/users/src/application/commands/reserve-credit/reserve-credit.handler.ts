import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '@app/ddd';
import { CreditReservations } from '../../ports/credit-reservations.port.js';
import { UserRepository } from '../../ports/user.repository.port.js';
import { ReserveCreditCommand } from './reserve-credit.command.js';

/**
 * Decides an order's credit in one transaction, with the user row locked, so concurrent orders
 * of one user are decided one after another and can never reserve more than the limit.
 * A decision already taken for the order (or a cancellation that came first) wins: no-op.
 */
@CommandHandler(ReserveCreditCommand)
export class ReserveCreditHandler implements ICommandHandler<ReserveCreditCommand, void> {
  constructor(
    private readonly users: UserRepository,
    private readonly reservations: CreditReservations,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  execute({ orderId, userId, amountCents }: ReserveCreditCommand): Promise<void> {
    return this.unitOfWork.run(async () => {
      const user = await this.users.findByIdForUpdate(userId);
      if (await this.reservations.find(orderId)) return;
      if (!user) return this.reservations.rejectForUnknownUser(orderId, userId, amountCents);
      user.reserveCredit(orderId, amountCents, new Date());
      await this.users.save(user);
    });
  }
}
