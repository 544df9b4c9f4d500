import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { EnvBool, EnvInt } from './env-decorators.js';

/** Variables every app reads. Defaults let a local run start with no .env at all. */
export class BaseEnv {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV = 'development';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Human-readable logs (pino-pretty, a dev dependency) instead of JSON lines; development only. */
  @EnvBool()
  LOG_PRETTY = false;

  /**
   * A JSON file of settings changed without a restart (log level, rate limits, breaker, RPC
   * timeout, feature switches; see README "Live configuration"), watched while the app runs.
   * Unset: the values read at start stay for good.
   */
  @IsOptional()
  @IsString()
  LIVE_CONFIG_FILE: string | undefined = undefined;

  @IsString()
  HTTP_HOST = '127.0.0.1';

  @Matches(/^amqps?:\/\/.+/, { message: 'must be an amqp:// or amqps:// URL' })
  AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

  @Matches(/^[a-z0-9._-]*$/, { message: 'may hold only a-z, 0-9, ".", "_" and "-"' })
  AMQP_PREFIX = '';

  @EnvInt(1, 10_000)
  AMQP_PREFETCH = 100;

  /**
   * RPC requests a service takes at once. Near the database pool: past it they would only wait
   * for a connection, ahead of the saga's events, which then fall behind under load.
   */
  @EnvInt(1, 10_000)
  RPC_PREFETCH = 10;

  @EnvInt(1, 60)
  AMQP_HEARTBEAT_SECONDS = 5;

  /**
   * Deliveries of one message its consumers took without settling it (a crash, a hang, a lost
   * connection) before the broker dead-letters it: a poison message cannot crash-loop a service.
   * Generous, since a broker or network fault returns every message in flight at that moment.
   */
  @EnvInt(2, 1000)
  AMQP_DELIVERY_LIMIT = 20;

  /**
   * Longest wait for the broker to confirm a batch of published events. The outbox relay holds
   * the batch's rows locked in a transaction meanwhile: past it the batch fails and is retried
   * later. Keep below DB_IDLE_IN_TRANSACTION_TIMEOUT_MS.
   */
  @EnvInt(100, 600_000)
  AMQP_CONFIRM_TIMEOUT_MS = 10_000;

  /**
   * Longest graceful shutdown after SIGTERM/SIGINT: past it the process exits 1 and leaves
   * unfinished messages unacked, for the broker to redeliver.
   */
  @EnvInt(1000, 600_000)
  SHUTDOWN_TIMEOUT_MS = 25_000;

  /**
   * After a shutdown signal, how long readiness answers 503 while the app still works normally,
   * before it closes anything. Kubernetes should rather use a preStop sleep (0 here).
   */
  @EnvInt(0, 60_000)
  SHUTDOWN_READINESS_DELAY_MS = 0;

  /*
   * Access tokens: the gateway issues them (EdDSA), every app verifies them. A service takes the
   * caller of an RPC from the token the gateway forwards, never from a claim in the message.
   */
  @IsString()
  JWT_ISSUER = 'nest-ddd-gateway';

  @IsString()
  JWT_AUDIENCE = 'nest-ddd-api';

  /**
   * The gateway's Ed25519 public key (PEM text or a file path); it verifies tokens and can not
   * sign any, so every service may hold it. Required in production; unset outside it, the dev
   * pair the gateway generates in JWT_DEV_KEYS_DIR is used.
   */
  @IsOptional()
  @IsString()
  JWT_PUBLIC_KEY: string | undefined = undefined;

  /** During a key rotation: the previous Ed25519 public key (PEM or path), still verifying. */
  @IsOptional()
  @IsString()
  JWT_PREVIOUS_PUBLIC_KEY: string | undefined = undefined;

  /** Where the gateway keeps its generated dev key pair (git-ignored), and the services read its public key. */
  @IsString()
  JWT_DEV_KEYS_DIR = '.data/keys';
}

/** Variables of an app that owns a database. */
export class DatabaseEnv extends BaseEnv {
  @IsString()
  DB_HOST = '127.0.0.1';

  @EnvInt(1, 65_535)
  DB_PORT = 5432;

  @IsString()
  DB_USER = 'postgres';

  @IsString()
  DB_PASSWORD = '';

  @EnvInt(1, 200)
  DB_POOL_SIZE = 10;

  /**
   * Parameterised statements as named prepared statements, parsed and planned once per
   * connection. Turn off behind a pooler in transaction mode that does not track them.
   */
  @EnvBool()
  DB_PREPARED_STATEMENTS = true;

  /** Apply pending migrations at start, under an advisory lock (replica-safe). */
  @EnvBool()
  DB_MIGRATIONS_RUN = true;

  /**
   * Postgres itself for migrations and CREATE DATABASE when DB_HOST is a pooler in transaction
   * mode (PgBouncer): the migrations' advisory lock is held by a session. Empty: DB_HOST.
   */
  @IsString()
  DB_MIGRATIONS_HOST = '';

  /** Port of DB_MIGRATIONS_HOST; 0: DB_PORT. */
  @EnvInt(0, 65_535)
  DB_MIGRATIONS_PORT = 0;

  /**
   * Longest wait for a database connection: opening one, and waiting for a free one of the pool
   * (pg-pool bounds both with the same setting).
   */
  @EnvInt(100, 600_000)
  DB_CONNECT_TIMEOUT_MS = 5000;

  /** Server side: Postgres cancels a statement running longer (0: no limit). Migrations are exempt. */
  @EnvInt(0, 3_600_000)
  DB_STATEMENT_TIMEOUT_MS = 10_000;

  /**
   * Client side: a query with no answer after this long fails and its connection is dropped. It
   * is what ends a wait on a server that is unreachable (statement_timeout cannot fire then);
   * keep it above DB_STATEMENT_TIMEOUT_MS. Migrations are exempt.
   */
  @EnvInt(100, 3_600_000)
  DB_QUERY_TIMEOUT_MS = 15_000;

  /** Server side: a session idle inside a transaction longer is ended, its locks released (0: no limit). */
  @EnvInt(0, 3_600_000)
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;

  /** TCP keepalive on every database connection, first probe after this much idle time. */
  @EnvInt(1000, 3_600_000)
  DB_KEEPALIVE_INITIAL_DELAY_MS = 10_000;
}

/** Variables of a service that publishes and consumes integration events. */
export class ServiceEnv extends DatabaseEnv {
  /** Deliveries of one event before it is dead-lettered. */
  @EnvInt(1, 20)
  EVENTS_MAX_ATTEMPTS = 5;

  /** Delay before the first retry of a failed event; doubles per attempt. */
  @EnvInt(10, 600_000)
  EVENTS_RETRY_BASE_MS = 1000;

  @EnvInt(10, 3_600_000)
  EVENTS_RETRY_MAX_MS = 60_000;

  /** Events a consumer handles in one transaction at most (one inbox insert, one commit). */
  @EnvInt(1, 1000)
  EVENTS_BATCH_SIZE = 50;

  /** Batches a consumer handles at once; keep below DB_POOL_SIZE (RPC needs connections too). */
  @EnvInt(1, 100)
  EVENTS_CONCURRENCY = 4;

  /** Fallback poll of the outbox (the relay is also woken right after each commit). */
  @EnvInt(50, 60_000)
  OUTBOX_POLL_INTERVAL_MS = 1000;

  @EnvInt(1, 10_000)
  OUTBOX_BATCH_SIZE = 200;

  /**
   * How the service answers RPCs: `amqp` (its RPC queue on RabbitMQ) or `grpc` (its gRPC port).
   * Events go through RabbitMQ either way.
   */
  @IsIn(['amqp', 'grpc'])
  RPC_TRANSPORT: 'amqp' | 'grpc' = 'amqp';

  /** Address the gRPC port binds to; unset: HTTP_HOST's. */
  @IsOptional()
  @IsString()
  GRPC_HOST: string | undefined = undefined;

  /**
   * A gRPC connection is closed after this long (its calls get as long again to finish), so
   * clients look the service's DNS name up again and spread over the replicas there are now.
   */
  @EnvInt(1000, 3_600_000)
  GRPC_MAX_CONNECTION_AGE_MS = 30_000;
}
