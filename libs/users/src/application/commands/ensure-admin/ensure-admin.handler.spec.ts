import { beforeEach, describe, expect, it } from '@jest/globals';
import type { CommandBus } from '@nestjs/cqrs';
import { Email } from '../../../domain/index.js';
import { inMemoryUsersPorts, usersOptions, type InMemoryUsersPorts } from '../../testing/in-memory-users-ports.js';
import { PASSWORD, aStoredUser } from '../../testing/user-fixtures.js';
import { RegisterUserCommand } from '../register-user/register-user.command.js';
import { RegisterUserHandler } from '../register-user/register-user.handler.js';
import { EnsureAdminCommand } from './ensure-admin.command.js';
import { EnsureAdminHandler } from './ensure-admin.handler.js';

describe('EnsureAdminHandler', () => {
  let ports: InMemoryUsersPorts;
  let handler: EnsureAdminHandler;
  /** Runs just before the registration the handler sends: another replica's stand-in. */
  let beforeRegistering: () => void;

  beforeEach(() => {
    ports = inMemoryUsersPorts();
    beforeRegistering = () => undefined;
    const register = new RegisterUserHandler(ports.users, ports.hasher, ports.outbox, ports.unitOfWork, usersOptions);
    const bus = {
      execute: (command: RegisterUserCommand) => {
        beforeRegistering();
        return register.execute(command);
      },
    } as unknown as CommandBus;
    handler = new EnsureAdminHandler(ports.users, bus);
  });

  const ensure = () => handler.execute(new EnsureAdminCommand('root@example.com', PASSWORD, 'Root'));

  it('creates the admin when no user has its email', async () => {
    expect(await ensure()).toBe('created');

    const admin = await ports.users.findByEmail(Email.create('root@example.com'));
    expect(admin?.role).toBe('admin');
    expect(ports.outbox.events).toEqual([expect.objectContaining({ type: 'UserRegistered', role: 'admin' })]);
  });

  it('leaves an existing user of that email as it is', async () => {
    ports.users.add(aStoredUser({ email: 'root@example.com' }));

    expect(await ensure()).toBe('exists');

    expect(ports.users.size).toBe(1);
    expect(ports.outbox.events).toEqual([]);
  });

  it('answers exists when another replica registers the admin first', async () => {
    beforeRegistering = () => ports.users.add(aStoredUser({ email: 'root@example.com' }));

    expect(await ensure()).toBe('exists');

    expect(ports.users.size).toBe(1);
    expect(ports.outbox.events).toEqual([]);
  });
});
