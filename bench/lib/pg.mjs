// PostgreSQL access of the runner: the bench's own databases, made and dropped per run.
import pg from 'pg';

export const PG = {
  host: '127.0.0.1',
  port: 5432,
  user: process.env.DB_USER || 'postgres',
  password: process.env.DB_PASSWORD ?? '',
};

/** Runs work(client) on a fresh connection to `database`, closed afterwards. */
export async function withDatabase(database, work) {
  const client = new pg.Client({ ...PG, database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export const createDatabase = (name) => withDatabase('postgres', (client) => client.query(`CREATE DATABASE "${name}"`));

export const dropDatabases = (names) =>
  withDatabase('postgres', async (client) => {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
