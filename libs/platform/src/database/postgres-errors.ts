/** SQLSTATE codes we react to. */
export const PgErrorCodes = {
  uniqueViolation: '23505',
} as const;

/**
 * SQLSTATE classes and codes of a database that is away for a moment: connection failures
 * (08), the server shutting down or restarting (57P01-57P03), too many connections (53300),
 * a statement cancelled by statement_timeout (57014), a session ended by
 * idle_in_transaction_session_timeout (25P03).
 */
const TRANSIENT_SQLSTATE = /^(08...|57P0[123]|53300|57014|25P03)$/;
/**
 * TypeORM's and pg's words for a connection that died under a query, or that could not be had
 * in time (DB_CONNECT_TIMEOUT_MS, DB_QUERY_TIMEOUT_MS).
 */
const CONNECTION_LOST =
  /QueryRunner(Provider)?AlreadyReleased|Connection terminated|not queryable|ECONNREFUSED|ECONNRESET|EPIPE|Query read timeout|timeout exceeded when trying to connect|DB_QUERY_TIMEOUT_MS/;

/**
 * True when the database could not be reached at all (no connection, or no answer on it), as
 * opposed to a statement it refused or cancelled: nothing about the work itself is at fault.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = ((error as { driverError?: { code?: unknown } }).driverError?.code ??
    (error as { code?: unknown }).code) as string | undefined;
  if (typeof code === 'string' && /^(08...|57P0[123]|53300)$/.test(code)) return true;
  return CONNECTION_LOST.test(`${error.name} ${error.message}`);
}

/** True when the database failed for a moment (not because of the query): the request may be retried. */
export function isTransientDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = ((error as { driverError?: { code?: unknown } }).driverError?.code ??
    (error as { code?: unknown }).code) as string | undefined;
  if (typeof code === 'string' && TRANSIENT_SQLSTATE.test(code)) return true;
  return CONNECTION_LOST.test(`${error.name} ${error.message}`);
}

/** The unique constraint a failed insert/update ran into, if that is what happened. */
export function violatedUniqueConstraint(error: unknown): string | null {
  const candidate = (error as { driverError?: unknown }).driverError ?? error;
  const { code, constraint } = candidate as { code?: string; constraint?: string };
  return code === PgErrorCodes.uniqueViolation ? (constraint ?? '') : null;
}
