// Offers parked outbox rows (events the broker returned because no queue was bound for them)
// to the relay again, once the missing queue or binding is back:
//   npm run outbox:replay -- users [--routing-key users.credit-reserved.v1] [--dry-run]
// It connects with the same variables as the service (DB_HOST, DB_PORT, DB_USER, DB_PASSWORD,
// USERS_DB_NAME / ORDERS_DB_NAME / PAYMENTS_DB_NAME) and only clears the parking mark: the running relay publishes
// the rows at its next poll, with the same ids, so a consumer that had one already skips it.
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'routing-key': { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
});
const service = positionals[0];
if (!['users', 'orders', 'payments'].includes(service)) {
  console.error('usage: npm run outbox:replay -- users|orders|payments [--routing-key <key>] [--dry-run]');
  process.exit(2);
}
const env = process.env;
const client = new pg.Client({
  host: env.DB_HOST || '127.0.0.1',
  port: Number(env.DB_PORT || 5432),
  user: env.DB_USER || 'postgres',
  password: env.DB_PASSWORD || undefined,
  database: env[`${service.toUpperCase()}_DB_NAME`] || service,
  connectionTimeoutMillis: 10_000,
});
await client.connect();
try {
  const key = values['routing-key'] ?? null;
  const parked = await client.query(
    `SELECT routing_key, count(*)::int AS rows, min(parked_at) AS since, max(last_error) AS reason
       FROM outbox WHERE parked_at IS NOT NULL AND published_at IS NULL AND ($1::text IS NULL OR routing_key = $1)
      GROUP BY routing_key ORDER BY routing_key`,
    [key],
  );
  if (parked.rows.length === 0) console.log('no parked rows');
  for (const row of parked.rows) {
    console.log(`${row.routing_key}: ${row.rows} parked since ${row.since.toISOString()} (${row.reason})`);
  }
  if (!values['dry-run'] && parked.rows.length > 0) {
    const replayed = await client.query(
      `UPDATE outbox SET parked_at = NULL, next_attempt_at = NULL
        WHERE parked_at IS NOT NULL AND published_at IS NULL AND ($1::text IS NULL OR routing_key = $1)`,
      [key],
    );
    console.log(`${replayed.rowCount} row(s) handed back to the relay`);
  }
} finally {
  await client.end();
}
