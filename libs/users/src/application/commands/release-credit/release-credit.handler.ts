import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '@app/ddd';
import { CreditReservations } from '../../ports/credit-reservations.port.js';
import { UserRepository } from '../../ports/user.repository.port.js';
import { ReleaseCreditCommand } from './release-credit.command.js';

/**
 * Releases an order's reservation. Idempotent: nothing reserved means nothing to give back,
 * and a cancellation that overtakes its order's placement leaves a mark so the placement,
 * when it arrives, reserves nothing.
 */
@CommandHandler(ReleaseCreditCommand)
export class ReleaseCreditHandler implements ICommandHandler<ReleaseCreditCommand, void> {
  constructor(
    private readonly users: UserRepository,
    private readonly reservations: CreditReservations,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  execute({ orderId, userId }: ReleaseCreditCommand): Promise<void> {
    return this.unitOfWork.run(async () => {
      const user = await this.users.findByIdForUpdate(userId);
      const reservation = await this.reservations.find(orderId);
      if (!reservation) return this.reservations.releaseUnreserved(orderId, userId);
      // A cancellation naming another user than the one who reserved changes nothing.
      if (reservation.status !== 'RESERVED' || !user || reservation.userId !== user.id) return;
      user.releaseCredit(orderId, reservation.amountCents, new Date());
      await this.users.save(user);
    });
  }
}
