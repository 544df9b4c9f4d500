import { beforeEach, describe, expect, it } from '@jest/globals';
import { CreditRejectedEvent, CreditReservation, CreditReservedEvent, type User } from '../../../domain/index.js';
import { inMemoryUsersPorts, type InMemoryUsersPorts } from '../../testing/in-memory-users-ports.js';
import { aStoredUser, anId, registeredAt } from '../../testing/user-fixtures.js';
import { ReserveCreditCommand } from './reserve-credit.command.js';
import { ReserveCreditHandler } from './reserve-credit.handler.js';

describe('ReserveCreditHandler', () => {
  let ports: InMemoryUsersPorts;
  let handler: ReserveCreditHandler;
  let user: User;

  beforeEach(() => {
    ports = inMemoryUsersPorts();
    handler = new ReserveCreditHandler(ports.users, ports.reservations, ports.outbox, ports.unitOfWork);
    user = aStoredUser({ creditLimitCents: 10_000 });
    ports.users.add(user);
  });

  const reserve = (orderId: string, amountCents: number, userId = user.id) =>
    handler.execute(new ReserveCreditCommand(orderId, userId, amountCents));

  it('reserves an order the credit covers: holds the amount, records RESERVED, appends CreditReserved', async () => {
    const orderId = anId();

    await reserve(orderId, 2500);

    const saved = ports.users.stored(user.id)!;
    expect(saved).toMatchObject({ version: 2, state: { creditReservedCents: 2500 } });
    expect(ports.reservations.stored(orderId)).toMatchObject({
      userId: user.id,
      amountCents: 2500,
      status: 'RESERVED',
    });
    expect(ports.outbox.events).toEqual([new CreditReservedEvent(orderId, saved.state.updatedAt, user.id, 2500)]);
  });

  it('rejects an order above the available credit with INSUFFICIENT_CREDIT, leaving the user as it was', async () => {
    await reserve(anId(), 8000);
    const orderId = anId();

    await reserve(orderId, 2001);

    expect(ports.users.stored(user.id)).toMatchObject({ version: 2, state: { creditReservedCents: 8000 } });
    const decision = ports.reservations.stored(orderId)!;
    expect(decision).toMatchObject({ userId: user.id, amountCents: 2001, status: 'REJECTED' });
    expect(ports.outbox.events.at(-1)).toEqual(
      new CreditRejectedEvent(orderId, decision.createdAt, user.id, 2001, 'INSUFFICIENT_CREDIT'),
    );
  });

  it('rejects an order of an unknown user with USER_NOT_FOUND, through the domain', async () => {
    const orderId = anId();
    const nobody = anId();

    await reserve(orderId, 100, nobody);

    const decision = ports.reservations.stored(orderId)!;
    expect(decision).toMatchObject({ userId: nobody, amountCents: 100, status: 'REJECTED' });
    expect(ports.outbox.events).toEqual([
      new CreditRejectedEvent(orderId, decision.createdAt, nobody, 100, 'USER_NOT_FOUND'),
    ]);
    expect(ports.users.size).toBe(1);
  });

  it('decides an order once: a second delivery reserves nothing more and appends nothing', async () => {
    const orderId = anId();
    await reserve(orderId, 2500);

    await reserve(orderId, 2500);

    expect(ports.users.stored(user.id)).toMatchObject({ version: 2, state: { creditReservedCents: 2500 } });
    expect(ports.outbox.events).toHaveLength(1);
  });

  it('reserves nothing for an order whose cancellation came first', async () => {
    const orderId = anId();
    await ports.unitOfWork.run(() =>
      ports.reservations.add(CreditReservation.cancelledBeforeDecision(orderId, user.id, registeredAt)),
    );

    await reserve(orderId, 2500);

    expect(ports.users.stored(user.id)).toMatchObject({ version: 1, state: { creditReservedCents: 0 } });
    expect(ports.reservations.stored(orderId)).toMatchObject({ status: 'RELEASED', amountCents: 0 });
    expect(ports.outbox.events).toEqual([]);
  });

  it('never reserves more than the limit, however many orders arrive', async () => {
    for (let i = 0; i < 7; i += 1) await reserve(anId(), 1500);

    expect(ports.users.stored(user.id)?.state.creditReservedCents).toBe(9000);
    expect(ports.outbox.events.map((event) => event.type)).toEqual([
      ...Array(6).fill('CreditReserved'),
      'CreditRejected',
    ]);
  });

  it('joins the unit of work it is called in: when the consumer rolls back, nothing was decided', async () => {
    const orderId = anId();
    const failure = new Error('the consumer rolled back');

    await expect(
      ports.unitOfWork.run(async () => {
        await reserve(orderId, 2500);
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(ports.reservations.stored(orderId)).toBeUndefined();
    expect(ports.users.stored(user.id)?.state.creditReservedCents).toBe(0);
    expect(ports.outbox.events).toEqual([]);
    // and the redelivery decides it
    await reserve(orderId, 2500);
    expect(ports.reservations.stored(orderId)?.status).toBe('RESERVED');
  });
});
