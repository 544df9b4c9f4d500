import { beforeEach, describe, expect, it } from '@jest/globals';
import { ValidationFailedError } from '@app/ddd';
import {
  AccessDeniedError,
  EmailTakenError,
  UserNotFoundError,
  UserProfileUpdatedEvent,
  type User,
} from '../../../domain/index.js';
import { inMemoryUsersPorts, type InMemoryUsersPorts } from '../../testing/in-memory-users-ports.js';
import { actorOf, aStoredUser, anId } from '../../testing/user-fixtures.js';
import { UpdateProfileCommand } from './update-profile.command.js';
import { UpdateProfileHandler } from './update-profile.handler.js';

describe('UpdateProfileHandler', () => {
  let ports: InMemoryUsersPorts;
  let handler: UpdateProfileHandler;
  let user: User;

  beforeEach(() => {
    ports = inMemoryUsersPorts();
    handler = new UpdateProfileHandler(ports.users, ports.outbox, ports.unitOfWork);
    user = aStoredUser({ email: 'ada@example.com' });
    ports.users.add(user);
  });

  it('changes name and email, saves the new version and appends UserProfileUpdated', async () => {
    const answer = await handler.execute(
      new UpdateProfileCommand(actorOf(user), user.id, 'Ada Lovelace', 'Lovelace@Example.com'),
    );

    expect(answer).toMatchObject({ id: user.id, name: 'Ada Lovelace', email: 'lovelace@example.com' });
    const saved = ports.users.stored(user.id)!;
    expect(saved.version).toBe(2);
    expect(saved.state.email.value).toBe('lovelace@example.com');
    expect(ports.outbox.events).toEqual([
      new UserProfileUpdatedEvent(user.id, saved.state.updatedAt, 'lovelace@example.com', 'Ada Lovelace'),
    ]);
  });

  it('appends nothing when nothing really changes', async () => {
    const answer = await handler.execute(new UpdateProfileCommand(actorOf(user), user.id, ' Ada ', 'ADA@example.com'));

    expect(answer).toMatchObject({ name: 'Ada', email: 'ada@example.com' });
    expect(ports.outbox.events).toEqual([]);
  });

  it('lets an admin change another user', async () => {
    const admin = { id: anId(), role: 'admin' as const };
    expect((await handler.execute(new UpdateProfileCommand(admin, user.id, 'Renamed', undefined))).name).toBe(
      'Renamed',
    );
  });

  it('refuses another user with FORBIDDEN, changing nothing', async () => {
    const other = aStoredUser();
    ports.users.add(other);

    await expect(
      handler.execute(new UpdateProfileCommand(actorOf(other), user.id, 'Mallory', undefined)),
    ).rejects.toBeInstanceOf(AccessDeniedError);

    expect(ports.users.stored(user.id)?.version).toBe(1);
    expect(ports.outbox.events).toEqual([]);
  });

  it('refuses an email another user has (EMAIL_TAKEN), changing nothing', async () => {
    const other = aStoredUser({ email: 'grace@example.com' });
    ports.users.add(other);

    await expect(
      handler.execute(new UpdateProfileCommand(actorOf(user), user.id, undefined, 'GRACE@example.com')),
    ).rejects.toBeInstanceOf(EmailTakenError);

    expect(ports.users.stored(user.id)).toMatchObject({ version: 1 });
    expect(ports.users.stored(user.id)?.state.email.value).toBe('ada@example.com');
    expect(ports.outbox.events).toEqual([]);
  });

  it('refuses an invalid name with VALIDATION_FAILED and an unknown user with USER_NOT_FOUND', async () => {
    await expect(
      handler.execute(new UpdateProfileCommand(actorOf(user), user.id, '', undefined)),
    ).rejects.toBeInstanceOf(ValidationFailedError);
    const ghost = { id: anId(), role: 'user' as const };
    await expect(handler.execute(new UpdateProfileCommand(ghost, ghost.id, 'Ghost', undefined))).rejects.toBeInstanceOf(
      UserNotFoundError,
    );
    expect(ports.outbox.events).toEqual([]);
  });
});
