import type { ConfigService } from '@nestjs/config';
import type { AmqpOptions } from '@app/messaging';
import type { BaseEnv, DatabaseEnv } from './base.env.js';
import type { DatabaseOptions } from '../database/database-options.js';

/** The broker settings of an app, from its validated config. */
export function amqpOptionsFrom(config: ConfigService<BaseEnv, true>, connectionName: string): AmqpOptions {
  return {
    url: config.get('AMQP_URL', { infer: true }),
    prefix: config.get('AMQP_PREFIX', { infer: true }),
    prefetch: config.get('AMQP_PREFETCH', { infer: true }),
    heartbeatSeconds: config.get('AMQP_HEARTBEAT_SECONDS', { infer: true }),
    connectionName,
  };
}

/** The database settings of an app, from its validated config. */
export function databaseOptionsFrom(
  config: ConfigService<DatabaseEnv, true>,
  database: string,
  schema: Pick<DatabaseOptions, 'entities' | 'migrations'>,
): DatabaseOptions {
  return {
    host: config.get('DB_HOST', { infer: true }),
    port: config.get('DB_PORT', { infer: true }),
    user: config.get('DB_USER', { infer: true }),
    password: config.get('DB_PASSWORD', { infer: true }),
    poolSize: config.get('DB_POOL_SIZE', { infer: true }),
    migrationsRun: config.get('DB_MIGRATIONS_RUN', { infer: true }),
    database,
    ...schema,
  };
}
