import type pg from 'pg';
import type { DatabaseTimeouts } from './database-options.js';

/**
 * The pg settings that bound every wait on the database: connecting and waiting for a pool
 * connection (`connectionTimeoutMillis`), a query with no answer (`query_timeout`, client side:
 * the only one that fires when the server is unreachable), a statement running long and a
 * transaction left idle (server side), and a peer gone silent (TCP keepalive).
 */
export function connectionBounds(timeouts: DatabaseTimeouts | undefined): pg.ClientConfig {
  if (!timeouts) return {};
  return {
    connectionTimeoutMillis: timeouts.connectMs,
    query_timeout: timeouts.queryMs,
    statement_timeout: timeouts.statementMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: timeouts.keepAliveInitialDelayMs,
  };
}
