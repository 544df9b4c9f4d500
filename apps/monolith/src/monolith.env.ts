import { IsString } from 'class-validator';
import { EnvInt } from '@app/platform';

/**
 * What only the monolith reads; each context and the gateway validate their own variables as
 * in their services. Unset DB_HOST (the services' variable) is what starts the embedded server.
 */
export class MonolithEnv {
  /** Where the embedded PostgreSQL keeps its data (git-ignored), kept across restarts. */
  @IsString()
  EMBEDDED_DB_DIR = '.data/pg';

  /** Port of the embedded PostgreSQL (on 127.0.0.1), away from a local server's 5432. */
  @EnvInt(1, 65_535)
  EMBEDDED_DB_PORT = 54_329;

  /**
   * Each context's pool (the services' variable), at least 2 here: a context's outbox relay holds
   * a connection while the other context's consumer takes the event, and that one may be
   * delivering the other way at the same time (see `relayConcurrencyFor`).
   */
  @EnvInt(2, 200)
  DB_POOL_SIZE = 10;
}
