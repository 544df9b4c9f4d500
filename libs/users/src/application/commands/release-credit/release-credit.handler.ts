import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '@app/ddd';
import { CreditReservation } from '../../../domain/index.js';
import { CreditReservationRepository } from '../../ports/credit-reservation.repository.port.js';
import { UserRepository } from '../../ports/user.repository.port.js';
import { UsersOutbox } from '../../ports/users-outbox.port.js';
import { ReleaseCreditCommand } from './release-credit.command.js';

/**
 * Releases an order's reservation, with the user locked as when it was reserved. Idempotent:
 * nothing reserved means nothing to give back, and a cancellation that overtakes its order's
 * placement leaves a mark so the placement, when it arrives, reserves nothing.
 */
@CommandHandler(ReleaseCreditCommand)
export class ReleaseCreditHandler implements ICommandHandler<ReleaseCreditCommand, void> {
  constructor(
    private readonly users: UserRepository,
    private readonly reservations: CreditReservationRepository,
    private readonly outbox: UsersOutbox,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  execute({ orderId, userId }: ReleaseCreditCommand): Promise<void> {
    return this.unitOfWork.run(async () => {
      const now = new Date();
      const user = await this.users.findByIdForUpdate(userId);
      const reservation = await this.reservations.findByOrderId(orderId);
      if (!reservation) {
        await this.reservations.add(CreditReservation.cancelledBeforeDecision(orderId, userId, now));
        return;
      }
      // A cancellation naming another user than the one who reserved changes nothing.
      if (!user?.releaseCredit(reservation, now)) return;
      await this.reservations.save(reservation);
      await this.users.save(user);
      await this.outbox.append(reservation.uncommittedEvents);
    });
  }
}
