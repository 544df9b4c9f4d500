import pg from 'pg';
import { connectionBounds } from './connection-bounds.js';
import type { DatabaseOptions } from './database-options.js';

const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

/**
 * Creates the service's database when it does not exist yet, so a first run needs no
 * manual step. Safe when several replicas start at once. Connects where migrations do (past a
 * pooler, whose database list may not name `postgres`).
 */
export async function ensureDatabase(options: DatabaseOptions): Promise<void> {
  // Exempt from the statement and query timeouts, like migrations: CREATE DATABASE copies the
  // template database and takes seconds on a busy server. The connect timeout still applies.
  const {
    statement_timeout: _statement,
    query_timeout: _query,
    idle_in_transaction_session_timeout: _idle,
    ...connectOnly
  } = connectionBounds(options.timeouts);
  const client = new pg.Client({
    host: options.migrationsHost || options.host,
    port: options.migrationsPort || options.port,
    user: options.user,
    password: options.password,
    database: 'postgres',
    ...connectOnly,
  });
  client.on('error', () => undefined); // a lost connection fails the query below, which says why
  try {
    await client.connect();
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${quoteIdentifier(options.database)}`);
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== DUPLICATE_DATABASE && code !== UNIQUE_VIOLATION) throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
