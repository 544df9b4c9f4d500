import pg from 'pg';
import { connectionBounds } from './connection-bounds.js';
import type { DatabaseOptions } from './database-options.js';

const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

/**
 * Creates the service's database when it does not exist yet, so a first run needs no
 * manual step. Safe when several replicas start at once.
 */
export async function ensureDatabase(options: DatabaseOptions): Promise<void> {
  const client = new pg.Client({
    host: options.host,
    port: options.port,
    user: options.user,
    password: options.password,
    database: 'postgres',
    ...connectionBounds(options.timeouts),
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
