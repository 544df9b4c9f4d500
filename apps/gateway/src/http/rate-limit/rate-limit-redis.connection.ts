import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';

/** Reconnection delays grow from 100 ms to this, in the background; no request waits for them. */
const MAX_RECONNECT_DELAY_MS = 5000;
const CONNECT_TIMEOUT_MS = 2000;
/** How long the shutdown waits for Redis to acknowledge QUIT before dropping the socket. */
const QUIT_TIMEOUT_MS = 1000;

/** `redis://user:secret@host:6379/0` → `redis://host:6379/0`, for logs. */
export function redisAddress(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}

/**
 * The gateway's connection to Redis for its rate limits, bounded everywhere: each command fails
 * after `commandTimeoutMs`; while disconnected, commands fail at once (no offline queue) and are
 * never resent after a reconnect, which happens in the background with growing delays. So a
 * request never waits for Redis longer than one command timeout. The start waits for the first
 * connection at most CONNECT_TIMEOUT_MS (`firstConnection`): Redis is optional for serving
 * (FallbackThrottlerStorage covers its absence), and readiness does not depend on it.
 */
export function connectRateLimitRedis(url: string, commandTimeoutMs: number, logger = new Logger('RateLimitStore')) {
  const address = redisAddress(url);
  const client = new Redis(url, {
    connectionName: 'gateway-rate-limits',
    commandTimeout: commandTimeoutMs,
    connectTimeout: CONNECT_TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 10), MAX_RECONNECT_DELAY_MS),
  });
  let lost = false;
  let closing = false;
  client.on('ready', () => {
    logger.log(`${lost ? 'reconnected' : 'connected'} to Redis at ${address}: rate limits shared across replicas`);
    lost = false;
  });
  // Once per outage, not per reconnection attempt; without a listener ioredis would print each error.
  client.on('error', (error: Error) => {
    if (lost || closing) return;
    lost = true;
    logger.warn(`Redis at ${address} unreachable (${error.message}): reconnecting in the background`);
  });
  client.on('close', () => {
    if (closing || lost) return;
    lost = true;
    logger.warn(`connection to Redis at ${address} closed: reconnecting in the background`);
  });
  return {
    client,
    /** Whether commands can be sent now. */
    ready: () => client.status === 'ready',
    /** Resolves once connected, or after CONNECT_TIMEOUT_MS without: the gateway starts either way. */
    firstConnection(): Promise<void> {
      if (client.status === 'ready') return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          client.off('ready', done);
          resolve();
        };
        const timer = setTimeout(done, CONNECT_TIMEOUT_MS);
        client.once('ready', done);
      });
    },
    /** QUIT if connected (bounded), else just stop reconnecting. */
    async close(): Promise<void> {
      closing = true;
      if (client.status === 'ready') {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, QUIT_TIMEOUT_MS)));
        await Promise.race([client.quit().catch(() => undefined), timeout]);
        clearTimeout(timer);
      }
      client.disconnect();
      logger.log(`closed the connection to Redis at ${address}`);
    },
  };
}

export type RateLimitRedisConnection = ReturnType<typeof connectRateLimitRedis>;
