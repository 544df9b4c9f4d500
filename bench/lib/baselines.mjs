// The hand-written baselines of a run: their database (schema.sql, seeded users), their processes
// (read: front + back; write: front + back + consumer), and their clean-up.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AMQP_URL, deleteTopology } from './broker.mjs';
import { createDatabase, dropDatabases, PG, withDatabase } from './pg.mjs';
import { httpOk, spawnLogged, stopProcess, waitFor } from './processes.mjs';
import { freePort, freePorts } from './ports.mjs';

const script = (name) => fileURLToPath(new URL(`../baselines/${name}.mjs`, import.meta.url));
const SCHEMA = fileURLToPath(new URL('../baselines/schema.sql', import.meta.url));

export function baselineNames(run) {
  return {
    database: `baseline_bench_${run.id}`,
    readQueue: `${run.prefix}baseline.read.rpc`,
    writeQueue: `${run.prefix}baseline.write.rpc`,
    exchange: `${run.prefix}baseline.events`,
    eventsQueue: `${run.prefix}baseline.order-events`,
  };
}

/** Creates the database; one user to read, `writers` users to place orders as. */
export async function createBaselineDatabase(run, writers) {
  const { database } = baselineNames(run);
  await createDatabase(database);
  const readUser = randomUUID();
  const writeUsers = Array.from({ length: writers }, () => randomUUID());
  await withDatabase(database, async (client) => {
    await client.query(readFileSync(SCHEMA, 'utf8'));
    await client.query(
      `INSERT INTO users (id, email, name) SELECT id, id || '@example.com', 'Bench' FROM unnest($1::uuid[]) AS id`,
      [[readUser, ...writeUsers]],
    );
  });
  return { readUser, writeUsers };
}

function baselineEnv(run, port) {
  const names = baselineNames(run);
  return {
    ...process.env,
    NODE_ENV: 'production',
    PGHOST: PG.host,
    PGPORT: String(PG.port),
    PGUSER: PG.user,
    PGPASSWORD: PG.password,
    PGDATABASE: names.database,
    BASELINE_AMQP_URL: AMQP_URL,
    BASELINE_PORT: String(port),
    BASELINE_EXCHANGE: names.exchange,
    BASELINE_EVENTS_QUEUE: names.eventsQueue,
  };
}

/**
 * Starts read-back and read-front, calling each other over RabbitMQ RPC or over gRPC; ready once
 * GET /users/<readUser> answers 200 through both.
 */
export async function startReadBaseline(run, seed, transport = 'amqp') {
  const [port, grpcPort] = await freePorts(2);
  const env = {
    ...baselineEnv(run, port),
    BASELINE_RPC: transport,
    BASELINE_RPC_QUEUE: baselineNames(run).readQueue,
    BASELINE_GRPC_PORT: String(grpcPort),
  };
  const back = spawnLogged(`read-back-${transport}`, [script('read-back')], { env, logDir: run.logDir });
  const front = spawnLogged(`read-front-${transport}`, [script('read-front')], { env, logDir: run.logDir });
  const url = `http://127.0.0.1:${port}/users/${seed.readUser}`;
  await waitFor(`the read baseline over ${transport}`, httpOk(url), { timeoutMs: 20_000, entries: [back, front] });
  return { url, processes: { 'read-front': front, 'read-back': back } };
}

/** Starts write-back, write-consumer and write-front; ready once an order placed through them is CONFIRMED. */
export async function startWriteBaseline(run, seed) {
  const port = await freePort();
  const names = baselineNames(run);
  const env = { ...baselineEnv(run, port), BASELINE_RPC_QUEUE: names.writeQueue };
  const back = spawnLogged('write-back', [script('write-back')], { env, logDir: run.logDir });
  const consumer = spawnLogged('write-consumer', [script('write-consumer')], { env, logDir: run.logDir });
  const front = spawnLogged('write-front', [script('write-front')], { env, logDir: run.logDir });
  const entries = [back, consumer, front];
  const url = `http://127.0.0.1:${port}/orders`;
  const place = () =>
    fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${seed.writeUsers[0]}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: run.orderBody,
      signal: AbortSignal.timeout(2000),
    }).then((response) => (response.status === 201 ? response.json() : null));
  const order = await waitFor('the write baseline to take an order', place, { timeoutMs: 20_000, entries });
  const confirmed = () =>
    withDatabase(names.database, (client) =>
      client.query(`SELECT 1 FROM orders WHERE id = $1 AND status = 'CONFIRMED'`, [order.id]),
    ).then((result) => result.rowCount === 1);
  await waitFor('the write baseline to confirm an order', confirmed, { timeoutMs: 20_000, entries });
  return { url, processes: { 'write-front': front, 'write-back': back, 'write-consumer': consumer } };
}

export const stopBaseline = (baseline) => Promise.all(Object.values(baseline.processes).map((p) => stopProcess(p)));

export async function cleanUpBaselines(run) {
  const names = baselineNames(run);
  await dropDatabases([names.database]);
  await deleteTopology({
    queues: [names.readQueue, names.writeQueue, names.eventsQueue],
    exchanges: [names.exchange],
  });
}
