import { describe, expect, it } from '@jest/globals';
import { UsersRpc } from '@app/contracts';
import { AuthenticateCommand } from './commands/authenticate/authenticate.command.js';
import { AuthenticateHandler } from './commands/authenticate/authenticate.handler.js';
import { inMemoryUsersPorts } from './testing/in-memory-users-ports.js';
import { PASSWORD, aStoredUser } from './testing/user-fixtures.js';
import { toUserResponse } from './user-response.mapper.js';

/** What the users handlers answer must be what the contract says goes over the wire. */
describe('the users answers, against their RPC response schemas', () => {
  it('maps a user to a UserResponse the contract accepts as it is, with no field more', () => {
    const user = toUserResponse(aStoredUser());
    expect(UsersRpc.get.response.parse(user)).toEqual(user);
    expect(UsersRpc.register.response.parse(user)).toEqual(user);
    expect(UsersRpc.updateProfile.response.parse(user)).toEqual(user);
    expect(Object.keys(user).sort()).toEqual(Object.keys(UsersRpc.get.response.parse(user)).sort());
  });

  it('answers a log-in with a session the contract accepts', async () => {
    const ports = inMemoryUsersPorts();
    const user = aStoredUser({ email: 'ada@example.com' });
    ports.users.add(user);
    const handler = new AuthenticateHandler(ports.users, ports.hasher, ports.sessions, ports.unitOfWork);
    const session = await handler.execute(new AuthenticateCommand('ada@example.com', PASSWORD));
    expect(UsersRpc.authenticate.response.parse(session)).toEqual(session);
    expect(UsersRpc.refresh.response.parse(session)).toEqual(session);
  });
});
