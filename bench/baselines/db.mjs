import pg from 'pg';

// Connection settings come from PGHOST, PGPORT, PGUSER, PGDATABASE set by the runner; 10 like
// the apps' DB_POOL_SIZE default.
export const createPool = () => new pg.Pool({ max: 10 });

/** Runs work(client) between BEGIN and COMMIT on one pooled connection; ROLLBACK if it throws. */
export async function inTransaction(pool, work) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
