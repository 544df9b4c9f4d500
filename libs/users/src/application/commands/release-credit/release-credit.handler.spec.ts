import { beforeEach, describe, expect, it } from '@jest/globals';
import { CreditReleasedEvent, type User } from '../../../domain/index.js';
import { inMemoryUsersPorts, type InMemoryUsersPorts } from '../../testing/in-memory-users-ports.js';
import { aStoredUser, anId } from '../../testing/user-fixtures.js';
import { ReserveCreditCommand } from '../reserve-credit/reserve-credit.command.js';
import { ReserveCreditHandler } from '../reserve-credit/reserve-credit.handler.js';
import { ReleaseCreditCommand } from './release-credit.command.js';
import { ReleaseCreditHandler } from './release-credit.handler.js';

describe('ReleaseCreditHandler', () => {
  let ports: InMemoryUsersPorts;
  let handler: ReleaseCreditHandler;
  let reserve: (orderId: string, amountCents: number, userId?: string) => Promise<void>;
  let user: User;

  beforeEach(() => {
    ports = inMemoryUsersPorts();
    handler = new ReleaseCreditHandler(ports.users, ports.reservations, ports.outbox, ports.unitOfWork);
    const reserver = new ReserveCreditHandler(ports.users, ports.reservations, ports.outbox, ports.unitOfWork);
    reserve = (orderId, amountCents, userId = user.id) =>
      reserver.execute(new ReserveCreditCommand(orderId, userId, amountCents));
    user = aStoredUser({ creditLimitCents: 10_000 });
    ports.users.add(user);
  });

  const release = (orderId: string, userId = user.id) => handler.execute(new ReleaseCreditCommand(orderId, userId));
  const eventTypes = () => ports.outbox.events.map((event) => event.type);

  it('gives a reserved order’s credit back, marks it RELEASED and appends CreditReleased', async () => {
    const orderId = anId();
    await reserve(orderId, 2500);
    await reserve(anId(), 1000);

    await release(orderId);

    const saved = ports.users.stored(user.id)!;
    expect(saved).toMatchObject({ version: 4, state: { creditReservedCents: 1000 } });
    expect(ports.reservations.stored(orderId)).toMatchObject({ status: 'RELEASED', amountCents: 2500 });
    expect(ports.outbox.events.at(-1)).toEqual(new CreditReleasedEvent(orderId, saved.state.updatedAt, user.id, 2500));
  });

  it('releases once, however often the cancellation arrives', async () => {
    const orderId = anId();
    await reserve(orderId, 2500);

    await release(orderId);
    await release(orderId);

    expect(ports.users.stored(user.id)).toMatchObject({ version: 3, state: { creditReservedCents: 0 } });
    expect(eventTypes()).toEqual(['CreditReserved', 'CreditReleased']);
  });

  it('leaves a mark when the cancellation overtakes the placement, so the late placement reserves nothing', async () => {
    const orderId = anId();

    await release(orderId);
    await reserve(orderId, 2500);

    expect(ports.reservations.stored(orderId)).toMatchObject({ userId: user.id, status: 'RELEASED', amountCents: 0 });
    expect(ports.users.stored(user.id)).toMatchObject({ version: 1, state: { creditReservedCents: 0 } });
    expect(ports.outbox.events).toEqual([]);
  });

  it('changes nothing for a cancellation naming another user than the one who reserved', async () => {
    const orderId = anId();
    await reserve(orderId, 2500);
    const other = aStoredUser();
    ports.users.add(other);

    await release(orderId, other.id);
    await release(orderId, anId());

    expect(ports.users.stored(user.id)?.state.creditReservedCents).toBe(2500);
    expect(ports.users.stored(other.id)).toMatchObject({ version: 1, state: { creditReservedCents: 0 } });
    expect(ports.reservations.stored(orderId)?.status).toBe('RESERVED');
    expect(eventTypes()).toEqual(['CreditReserved']);
  });

  it('changes nothing for a rejected order', async () => {
    const orderId = anId();
    await reserve(orderId, 20_000);

    await release(orderId);

    expect(ports.reservations.stored(orderId)?.status).toBe('REJECTED');
    expect(ports.users.stored(user.id)).toMatchObject({ version: 1, state: { creditReservedCents: 0 } });
    expect(eventTypes()).toEqual(['CreditRejected']);
  });
});
