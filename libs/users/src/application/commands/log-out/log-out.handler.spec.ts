import { beforeEach, describe, expect, it } from '@jest/globals';
import { inMemoryUsersPorts, type InMemoryUsersPorts } from '../../testing/in-memory-users-ports.js';
import { anId } from '../../testing/user-fixtures.js';
import { LogOutCommand } from './log-out.command.js';
import { LogOutHandler } from './log-out.handler.js';

describe('LogOutHandler', () => {
  let ports: InMemoryUsersPorts;
  let handler: LogOutHandler;

  beforeEach(() => {
    ports = inMemoryUsersPorts();
    handler = new LogOutHandler(ports.tokens);
  });

  it('revokes every token of the log-in, and only those', async () => {
    const userId = anId();
    const first = await ports.sessions.issue(userId);
    const familyId = ports.tokens.all[0]!.familyId;
    await ports.sessions.issue(userId, familyId);
    await ports.sessions.issue(userId); // another log-in

    await handler.execute(new LogOutCommand(first.refreshToken));

    expect(ports.tokens.all.map((row) => row.revoked)).toEqual([true, true, false]);
  });

  it.each([
    ['an unknown token', 'x'.repeat(43)],
    ['a long string', 'x'.repeat(201)],
  ])('does nothing for %s (already logged out)', async (_, refreshToken) => {
    await ports.sessions.issue(anId());
    await expect(handler.execute(new LogOutCommand(refreshToken))).resolves.toBeUndefined();
    expect(ports.tokens.all.map((row) => row.revoked)).toEqual([false]);
  });
});
