import { beforeEach, describe, expect, it } from '@jest/globals';
import { ValidationFailedError } from '@app/ddd';
import { EmailTakenError, UserRegisteredEvent } from '../../../domain/index.js';
import { inMemoryUsersPorts, usersOptions, type InMemoryUsersPorts } from '../../testing/in-memory-users-ports.js';
import { PASSWORD } from '../../testing/user-fixtures.js';
import { RegisterUserCommand } from './register-user.command.js';
import { RegisterUserHandler } from './register-user.handler.js';

describe('RegisterUserHandler', () => {
  let ports: InMemoryUsersPorts;
  let handler: RegisterUserHandler;

  beforeEach(() => {
    ports = inMemoryUsersPorts();
    handler = new RegisterUserHandler(ports.users, ports.hasher, ports.outbox, ports.unitOfWork, usersOptions);
  });

  it('registers a user with the default credit limit, keeps only a hash and appends UserRegistered', async () => {
    const answer = await handler.execute(new RegisterUserCommand(' Ada@Example.com ', PASSWORD, ' Ada '));

    expect(answer).toEqual({
      id: answer.id,
      email: 'ada@example.com',
      name: 'Ada',
      role: 'user',
      creditLimitCents: 100_000,
      creditReservedCents: 0,
      createdAt: answer.createdAt,
      updatedAt: answer.createdAt,
    });
    const saved = ports.users.stored(answer.id)!;
    expect(saved.version).toBe(1);
    expect(saved.state.passwordHash.value).toMatch(/^\$argon2id\$/);
    expect(saved.state.passwordHash.value).not.toBe(PASSWORD);
    expect(await ports.hasher.verify(saved.state.passwordHash.value, PASSWORD)).toBe(true);
    expect(ports.outbox.events).toEqual([
      new UserRegisteredEvent(answer.id, new Date(answer.createdAt), 'ada@example.com', 'Ada', 'user', 100_000),
    ]);
  });

  it('registers an admin when asked to', async () => {
    const answer = await handler.execute(new RegisterUserCommand('root@example.com', PASSWORD, 'Root', 'admin'));
    expect(answer.role).toBe('admin');
    expect(ports.outbox.events).toEqual([expect.objectContaining({ type: 'UserRegistered', role: 'admin' })]);
  });

  it('refuses an email another user has in another case (EMAIL_TAKEN), writing nothing', async () => {
    await handler.execute(new RegisterUserCommand('ada@example.com', PASSWORD, 'Ada'));

    await expect(handler.execute(new RegisterUserCommand('ADA@example.COM', PASSWORD, 'Eve'))).rejects.toBeInstanceOf(
      EmailTakenError,
    );

    expect(ports.users.size).toBe(1);
    expect(ports.outbox.events).toHaveLength(1);
  });

  it.each([
    ['an email without a domain', { email: 'ada@' }, 'email'],
    ['a short password', { password: 'short' }, 'password'],
    ['an empty name', { name: '   ' }, 'name'],
  ])('refuses %s with VALIDATION_FAILED naming the field, writing nothing', async (_, change, field) => {
    const input = { email: 'ada@example.com', password: PASSWORD, name: 'Ada', ...change };

    const failure = await handler
      .execute(new RegisterUserCommand(input.email, input.password, input.name))
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ValidationFailedError);
    expect((failure as ValidationFailedError).details?.fields).toEqual([expect.objectContaining({ field })]);
    expect(ports.users.size).toBe(0);
    expect(ports.outbox.events).toEqual([]);
  });
});
