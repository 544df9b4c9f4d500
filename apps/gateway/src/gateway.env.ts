import { IsIn, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { BaseEnv, DifferentFrom, EnvBool, EnvInt } from '@app/platform';

/** `dns:///host:port` or `dns://resolver/host:port` (grpc-js's DNS resolver), or a bare `host:port`. */
const GRPC_TARGET = /^(dns:\/\/[^/\s]*\/)?[^\s/:]+:\d{1,5}$/;
const GRPC_TARGET_MESSAGE = 'must be dns:///<host>:<port> (or <host>:<port>)';

export class GatewayEnv extends BaseEnv {
  @EnvInt(1, 65_535)
  GATEWAY_PORT = 3000;

  /**
   * Port of /metrics and the detailed /health/live and /health/ready (reasons shown), for the
   * cluster only (Prometheus, the kubelet); on HTTP_HOST, like GATEWAY_PORT.
   */
  @EnvInt(1, 65_535)
  @DifferentFrom('GATEWAY_PORT')
  MANAGEMENT_PORT = 9000;

  /**
   * How the gateway calls the services: `amqp` (their RPC queues on RabbitMQ) or `grpc` (their
   * gRPC ports, USERS_GRPC_TARGET and ORDERS_GRPC_TARGET; no broker then).
   */
  @IsIn(['amqp', 'grpc'])
  RPC_TRANSPORT: 'amqp' | 'grpc' = 'amqp';

  /** gRPC target of the users service: `dns:///<name>:<port>` balances over every address of the name. */
  @Matches(GRPC_TARGET, { message: GRPC_TARGET_MESSAGE })
  USERS_GRPC_TARGET = 'dns:///127.0.0.1:50051';

  /** gRPC target of the orders service (see USERS_GRPC_TARGET). */
  @Matches(GRPC_TARGET, { message: GRPC_TARGET_MESSAGE })
  ORDERS_GRPC_TARGET = 'dns:///127.0.0.1:50052';

  /** gRPC target of the payments service (see USERS_GRPC_TARGET). */
  @Matches(GRPC_TARGET, { message: GRPC_TARGET_MESSAGE })
  PAYMENTS_GRPC_TARGET = 'dns:///127.0.0.1:50053';

  /**
   * Deadline of one HTTP request's calls to the services, counted from its arrival: each call
   * gets what is left of it; past it the client gets 504.
   */
  @EnvInt(100, 60_000)
  RPC_TIMEOUT_MS = 5000;

  /** Consecutive timeouts or unreachable answers from one service that open its circuit. */
  @EnvInt(1, 1000)
  CIRCUIT_FAILURE_THRESHOLD = 5;

  /** How long an open circuit answers 503 at once before trying the service again. */
  @EnvInt(100, 600_000)
  CIRCUIT_COOLDOWN_MS = 5000;

  /** Serve the OpenAPI document at /docs-json and its UI at /docs. */
  @EnvBool()
  OPENAPI_ENABLED = true;

  /** Send security headers (helmet): HSTS, nosniff, frame denial, a strict CSP, ... */
  @EnvBool()
  SECURITY_HEADERS_ENABLED = true;

  /** Origins allowed by CORS, comma-separated (`https://app.example.com`); empty: CORS off. */
  @IsString()
  CORS_ORIGINS = '';

  /** Trust X-Forwarded-For from a proxy in front (the client address the limits count by). */
  @EnvBool()
  TRUST_PROXY = false;

  @EnvBool()
  RATE_LIMIT_ENABLED = true;

  /**
   * Where the rate-limit counters live: `memory` (this process: one gateway, or the monolith) or
   * `redis` (shared by every gateway replica, so a limit holds across them; per pod while Redis is down).
   */
  @IsIn(['memory', 'redis'])
  RATE_LIMIT_STORE: 'memory' | 'redis' = 'memory';

  /** Redis holding the shared rate limits (redis:// or rediss://); required with RATE_LIMIT_STORE=redis. */
  @ValidateIf((env: GatewayEnv) => env.RATE_LIMIT_STORE === 'redis' || env.REDIS_URL !== undefined)
  @Matches(/^rediss?:\/\/[^\s/]+/, {
    message: 'must be a redis:// or rediss:// URL (required with RATE_LIMIT_STORE=redis)',
  })
  REDIS_URL: string | undefined = undefined;

  /** Prepended to every rate-limit key in Redis, to share one Redis between environments. */
  @Matches(/^[A-Za-z0-9:._-]{1,64}$/, { message: 'must be 1-64 characters among A-Z a-z 0-9 : . _ -' })
  RATE_LIMIT_REDIS_PREFIX = 'nest-ddd:rate-limit:';

  /**
   * Longest wait for one Redis answer; past it the request is counted per pod instead. Redis
   * answers in about a millisecond: this bounds a Redis in trouble, and is above the event-loop
   * stalls of a busy gateway (at 100 ms, a bench on a loaded machine fell back for 8% of checks).
   */
  @EnvInt(10, 10_000)
  RATE_LIMIT_REDIS_TIMEOUT_MS = 250;

  @EnvInt(1, 100_000_000)
  RATE_LIMIT_IP_PER_MINUTE = 1200;

  @EnvInt(1, 100_000_000)
  RATE_LIMIT_USER_PER_MINUTE = 600;

  @EnvInt(1, 100_000_000)
  RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE = 20;

  @EnvInt(1, 100_000_000)
  RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE = 5;

  @EnvInt(1, 100_000_000)
  RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE = 10;

  @EnvInt(1, 100_000_000)
  RATE_LIMIT_ORDERS_PER_USER_PER_MINUTE = 120;

  /** Feature switch: `false` closes sign-up (POST /auth/register answers 403 REGISTRATION_CLOSED). */
  @EnvBool()
  FEATURE_REGISTRATION_ENABLED = true;

  /**
   * Feature switch: `false` pauses new orders for maintenance (POST /orders answers 503
   * ORDER_PLACEMENT_PAUSED with Retry-After); reading and cancelling orders go on.
   */
  @EnvBool()
  FEATURE_ORDER_PLACEMENT_ENABLED = true;

  /** Access-token lifetime; at most 15 minutes. */
  @EnvInt(60, 900)
  JWT_TTL_SECONDS = 900;

  /**
   * Ed25519 private key: PEM text or a file path. Unset outside production: a dev pair is generated
   * in JWT_DEV_KEYS_DIR. Its public key, JWT_PUBLIC_KEY, and the issuer and audience are read by
   * every app (BaseEnv): the services verify the tokens the gateway forwards.
   */
  @IsOptional()
  @IsString()
  JWT_PRIVATE_KEY: string | undefined = undefined;
}
