import type { MixedList, EntitySchema } from 'typeorm';

export interface DatabaseOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  poolSize: number;
  migrationsRun: boolean;
  /**
   * Where migrations and CREATE DATABASE connect, when not `host`/`port`: Postgres itself, past a
   * pooler in transaction mode, which would keep the migrations' session advisory lock on a
   * pooled server connection after the session ends.
   */
  migrationsHost?: string;
  migrationsPort?: number;
  /** Send parameterised statements as named prepared statements (see buildDataSource). */
  preparedStatements?: boolean;
  /** Bounds on every wait on the database; none when absent (tests, the CLI). */
  timeouts?: DatabaseTimeouts;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

/** How long the app waits on its database, at most (see DatabaseEnv for each). */
export interface DatabaseTimeouts {
  connectMs: number;
  statementMs: number;
  queryMs: number;
  idleInTransactionMs: number;
  keepAliveInitialDelayMs: number;
}
