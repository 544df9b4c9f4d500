import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { UsersRpc } from '@app/contracts';
import { ConcurrencyConflictError } from '@app/ddd';
import { OutboxSignal, OutboxWriter } from '@app/messaging';
import { TransactionRunner, openDataSource, runInMessageContext } from '@app/platform';
import { Email, EmailTakenError, Name, PasswordHash, User } from '../domain/index.js';
import { SqlUserReadModel } from './sql-user.read-model.js';
import { SqlUsersOutbox } from './sql-users-outbox.js';
import { TypeormUserRepository } from './typeorm-user.repository.js';
import { usersEntities, usersMigrations } from './users.schema.js';

const connection = {
  host: process.env.DB_HOST || '127.0.0.1',
  port: Number(process.env.DB_PORT || 5432),
  user: process.env.DB_USER || 'postgres',
  password: process.env.DB_PASSWORD || '',
};
const database = `users_int_${randomBytes(6).toString('hex')}`;
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA';

let dataSource: DataSource;
let transactions: TransactionRunner;
let users: TypeormUserRepository;
let outbox: SqlUsersOutbox;
let readModel: SqlUserReadModel;

beforeAll(async () => {
  dataSource = await openDataSource({
    ...connection,
    database,
    poolSize: 4,
    migrationsRun: true,
    entities: usersEntities,
    migrations: usersMigrations,
  });
  transactions = new TransactionRunner(dataSource);
  users = new TypeormUserRepository(transactions);
  outbox = new SqlUsersOutbox(new OutboxWriter(transactions, new OutboxSignal()));
  readModel = new SqlUserReadModel(dataSource);
}, 60_000);

afterAll(async () => {
  if (dataSource?.isInitialized) await dataSource.destroy();
  const client = new pg.Client({ ...connection, database: 'postgres' });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}, 60_000);

let emails = 0;
/** An address no other test uses, so the cases share one database without interfering. */
function uniqueEmail(local = 'ada'): string {
  emails += 1;
  return `${local}.${emails}@example.com`;
}

function aUser(email: string, input: { name?: string; creditLimitCents?: number; now?: Date } = {}): User {
  return User.register({
    id: randomUUID(),
    email: Email.create(email),
    name: Name.create(input.name ?? 'Ada Lovelace'),
    passwordHash: PasswordHash.fromHash(HASH),
    role: 'user',
    creditLimitCents: input.creditLimitCents ?? 100_000,
    now: input.now ?? new Date('2026-01-02T03:04:05.678Z'),
  });
}

/** Everything a User holds, as plain values, so two instances can be compared. */
function snapshot(user: User | null): Record<string, unknown> | null {
  if (!user) return null;
  return {
    id: user.id,
    version: user.version,
    email: user.email.value,
    name: user.name.value,
    passwordHash: user.passwordHash.value,
    role: user.role,
    creditLimitCents: user.creditLimitCents,
    creditReservedCents: user.creditReservedCents,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

interface OutboxRow {
  type: string;
  routing_key: string;
  payload: Record<string, unknown>;
  headers: Record<string, unknown>;
  occurred_at: Date;
  published_at: Date | null;
}

function outboxFor(userId: string): Promise<OutboxRow[]> {
  return dataSource.query(
    `SELECT type, routing_key, payload, headers, occurred_at, published_at FROM outbox
      WHERE payload->>'userId' = $1 ORDER BY occurred_at`,
    [userId],
  );
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = (await dataSource.query(sql, params)) as { n: string }[];
  return Number(row.n);
}

async function versionInDatabase(id: string): Promise<number | undefined> {
  const rows = (await dataSource.query('SELECT version FROM users WHERE id = $1', [id])) as { version: number }[];
  return rows[0]?.version;
}

/** What a command handler does with a changed user: its row and its events, in one unit of work. */
function saveWithEvents(user: User): Promise<void> {
  return transactions.run(async () => {
    await users.save(user);
    await outbox.append(user.uncommittedEvents);
  });
}

async function saved(user: User): Promise<User> {
  await saveWithEvents(user);
  return user;
}

describe('TypeormUserRepository', () => {
  it('saves a newly registered user that findById and findByEmail load back equal', async () => {
    const user = await saved(aUser(uniqueEmail(), { creditLimitCents: 250_000 }));
    const expected = { ...snapshot(user), version: 1 };

    expect(snapshot(await users.findById(user.id))).toEqual(expected);
    expect(snapshot(await users.findByEmail(user.email))).toEqual(expected);
    expect(snapshot(await users.findByEmail(Email.create(user.email.value.toUpperCase())))).toEqual(expected);
  });

  it('marks the saved user persisted at version 1, no longer new', async () => {
    const user = aUser(uniqueEmail());
    expect(user.version).toBe(0);
    expect(user.isNew).toBe(true);

    await users.save(user);

    expect(user.version).toBe(1);
    expect(user.isNew).toBe(false);
    expect(await versionInDatabase(user.id)).toBe(1);
  });

  it('keeps a saved user new, with its events, until the unit of work commits', async () => {
    const user = aUser(uniqueEmail());
    const [registered] = user.uncommittedEvents;

    await transactions.run(async () => {
      await users.save(user);
      expect(user.isNew).toBe(true);
      expect(user.uncommittedEvents).toEqual([registered]);
    });

    expect(user.version).toBe(1);
    expect(user.uncommittedEvents).toEqual([]);
  });

  it('leaves a user new, with its events, when the unit of work rolls back after its save', async () => {
    const user = aUser(uniqueEmail());
    const failure = new Error('a later step failed');

    await expect(
      transactions.run(async () => {
        await users.save(user);
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(user.version).toBe(0);
    expect(user.uncommittedEvents).toHaveLength(1);
    expect(await users.findById(user.id)).toBeNull();
  });

  it("writes the users row only: the outbox is the handler's step", async () => {
    const user = aUser(uniqueEmail());
    await users.save(user);
    expect(await versionInDatabase(user.id)).toBe(1);
    expect(await outboxFor(user.id)).toEqual([]);
  });

  it('writes exactly one UserRegistered outbox row, stamped with the message context', async () => {
    const now = new Date('2026-03-04T05:06:07.089Z');
    const user = aUser(uniqueEmail(), { name: 'Grace Hopper', creditLimitCents: 42_000, now });

    await runInMessageContext({ correlationId: 'corr-1', causationId: 'cause-1' }, () => saveWithEvents(user));

    const rows = await outboxFor(user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual({
      type: 'UserRegistered',
      routing_key: 'users.user-registered.v1',
      payload: {
        userId: user.id,
        email: user.email.value,
        name: 'Grace Hopper',
        role: 'user',
        creditLimitCents: 42_000,
      },
      headers: { version: 1, correlationId: 'corr-1', causationId: 'cause-1', mustBeReceived: false },
      occurred_at: now,
      published_at: null,
    });
  });

  it('leaves correlation and causation null in the outbox when saved outside a message context', async () => {
    const user = await saved(aUser(uniqueEmail()));
    const rows = await outboxFor(user.id);
    expect(rows.map((row) => row.headers)).toEqual([
      { version: 1, correlationId: null, causationId: null, mustBeReceived: false },
    ]);
  });

  it('refuses a second user whose email differs only in case, writing nothing of it', async () => {
    // the only case using these literal addresses; uniqueEmail() always adds a number
    await saveWithEvents(aUser('ada@example.com'));
    const outboxBefore = await count('SELECT count(*) AS n FROM outbox');
    const second = aUser('ADA@Example.com');

    await expect(saveWithEvents(second)).rejects.toBeInstanceOf(EmailTakenError);

    expect(second.version).toBe(0);
    expect(await count('SELECT count(*) AS n FROM users WHERE lower(email) = $1', ['ada@example.com'])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM users WHERE id = $1', [second.id])).toBe(0);
    expect(await count('SELECT count(*) AS n FROM outbox')).toBe(outboxBefore);
    expect(await outboxFor(second.id)).toEqual([]);
  });

  it('updates a profile: bumps the version and writes a UserProfileUpdated outbox row', async () => {
    const registered = await saved(aUser(uniqueEmail()));
    const user = (await users.findById(registered.id))!;
    const changedAt = new Date('2026-05-06T07:08:09.010Z');
    const newEmail = uniqueEmail('lovelace');
    user.updateProfile({ name: Name.create('Ada King'), email: Email.create(newEmail) }, changedAt);

    await runInMessageContext({ correlationId: 'corr-2', causationId: null }, () => saveWithEvents(user));

    expect(user.version).toBe(2);
    expect(await versionInDatabase(user.id)).toBe(2);
    const reloaded = snapshot(await users.findById(user.id));
    expect(reloaded).toMatchObject({ name: 'Ada King', email: newEmail, updatedAt: changedAt.toISOString() });
    const rows = await outboxFor(user.id);
    expect(rows.map((row) => row.type)).toEqual(['UserRegistered', 'UserProfileUpdated']);
    expect(rows[1]).toEqual({
      type: 'UserProfileUpdated',
      routing_key: 'users.user-profile-updated.v1',
      payload: { userId: user.id, email: newEmail, name: 'Ada King' },
      headers: { version: 1, correlationId: 'corr-2', causationId: null, mustBeReceived: false },
      occurred_at: changedAt,
      published_at: null,
    });
  });

  it('rejects the second of two saves from the same version and keeps the first change', async () => {
    const registered = await saved(aUser(uniqueEmail()));
    const first = (await users.findById(registered.id))!;
    const second = (await users.findById(registered.id))!;
    expect(first.version).toBe(1);
    expect(second.version).toBe(1);

    first.updateProfile({ name: Name.create('First Writer') }, new Date('2026-06-01T00:00:00Z'));
    await saveWithEvents(first);
    second.updateProfile({ name: Name.create('Second Writer') }, new Date('2026-06-01T00:00:01Z'));

    await expect(saveWithEvents(second)).rejects.toBeInstanceOf(ConcurrencyConflictError);

    expect(second.version).toBe(1);
    expect(snapshot(await users.findById(registered.id))).toMatchObject({ name: 'First Writer', version: 2 });
    const rows = await outboxFor(registered.id);
    expect(rows.map((row) => [row.type, row.payload.name])).toEqual([
      ['UserRegistered', 'Ada Lovelace'],
      ['UserProfileUpdated', 'First Writer'],
    ]);
  });

  it('refuses to change an email to one another user has, writing nothing', async () => {
    const taken = await saved(aUser(uniqueEmail('taken')));
    const other = await saved(aUser(uniqueEmail('other')));
    const before = snapshot(await users.findById(other.id));
    const user = (await users.findById(other.id))!;
    user.updateProfile({ email: Email.create(taken.email.value.toUpperCase()) }, new Date('2026-07-01T00:00:00Z'));

    await expect(saveWithEvents(user)).rejects.toBeInstanceOf(EmailTakenError);

    expect(snapshot(await users.findById(other.id))).toEqual(before);
    expect((await outboxFor(other.id)).map((row) => row.type)).toEqual(['UserRegistered']);
  });

  it('returns null for an unknown id or email', async () => {
    expect(await users.findById(randomUUID())).toBeNull();
    expect(await users.findByEmail(Email.create(uniqueEmail('nobody')))).toBeNull();
  });
});

describe('SqlUserReadModel', () => {
  it('returns the API shape: ISO dates, numeric cents and no password hash', async () => {
    const now = new Date('2026-08-09T10:11:12.131Z');
    const user = await saved(aUser(uniqueEmail(), { name: 'Read Model', creditLimitCents: 9_007_199_254, now }));

    const response = await readModel.findById(user.id);

    expect(response).toEqual({
      id: user.id,
      email: user.email.value,
      name: 'Read Model',
      role: 'user',
      creditLimitCents: 9_007_199_254,
      creditReservedCents: 0,
      createdAt: '2026-08-09T10:11:12.131Z',
      updatedAt: '2026-08-09T10:11:12.131Z',
    });
    expect(Object.keys(response!).sort()).toEqual(
      ['createdAt', 'creditLimitCents', 'creditReservedCents', 'email', 'id', 'name', 'role', 'updatedAt'].sort(),
    );
    expect(response).not.toHaveProperty('passwordHash');
    expect(JSON.stringify(response)).not.toContain('argon2');
    expect(UsersRpc.get.response.parse(response)).toEqual(response);
    const page = await readModel.list(100, undefined);
    expect(page.items.length).toBeGreaterThan(0);
    expect(UsersRpc.list.response.parse(page)).toEqual(page);
  });

  it('returns null for an unknown id', async () => {
    expect(await readModel.findById(randomUUID())).toBeNull();
  });
});
