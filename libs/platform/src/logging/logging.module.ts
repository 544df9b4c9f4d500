import { ConfigService } from '@nestjs/config';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { pino, type DestinationStream } from 'pino';
import { currentMessageContext } from '../context/message-context.js';
import { activeTraceIds } from '../tracing/tracing.js';
import type { BaseEnv } from '../config/base.env.js';

/** Never written to a log line, wherever it appears in a request or an object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
];

/**
 * JSON logs (pino) for one app: every line names the service and carries the correlation id
 * of the request or message it belongs to.
 */
export function loggingModule(service: string) {
  return LoggerModule.forRootAsync({
    inject: [ConfigService],
    useFactory: async (config: ConfigService<BaseEnv, true>) => {
      const pretty = config.get('LOG_PRETTY', { infer: true });
      const options = {
        level: config.get('LOG_LEVEL', { infer: true }),
        base: { service },
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        // pino-http's serializers expect Node's request and response under `req`/`res` and would
        // rewrite the plain ones of our access line (statusCode null): give them unused keys.
        customAttributeKeys: { req: 'httpRequest', res: 'httpResponse' },
        mixin: () => {
          const context = currentMessageContext();
          return { ...(context ? { correlationId: context.correlationId } : {}), ...activeTraceIds() };
        },
      };
      return {
        pinoHttp: [options, pretty ? await prettyStdout() : bufferedStdout()] as [typeof options, DestinationStream],
        // No pino-http middleware: it cost the gateway a tenth of its CPU (a child logger, a
        // copy of every header and a redaction pass per request, run through Nest's middleware
        // layer). Lines logged during a request get its correlation id from the mixin above, and
        // createHttpApp writes the one access line per request (see logRequests).
        forRoutes: [],
      };
    },
  });
}

/**
 * Changes the level of the process's one root logger at run time (the live configuration).
 * Every line goes through it: no per-request child loggers are made (see forRoutes above).
 */
export function setLogLevel(level: string): void {
  if (PinoLogger.root && PinoLogger.root.level !== level) PinoLogger.root.level = level;
}

/**
 * One line per entry, the access line as `POST /api/v1/orders 201 12.3 ms (<correlation id>)`.
 * Imported only when asked for: pino-pretty is a dev dependency, absent from production images.
 */
async function prettyStdout(): Promise<DestinationStream> {
  const { default: prettyStream } = await import('./pretty-stream.js');
  return prettyStream({ destination: 1 });
}

type Destination = ReturnType<typeof pino.destination>;

let stdout: Destination | null = null;

/**
 * Standard output, written in blocks of at least 4 KiB, or every 100 ms, whichever comes first:
 * one write a line cost the gateway 4 % of its CPU under load. pino flushes it when the process
 * exits, and runApp once the app has started; a SIGKILL loses at most the last 100 ms of lines.
 */
/** Writes out what the buffer holds now: the start-up lines, before the first request is served. */
export function flushLogs(): void {
  try {
    stdout?.flushSync();
  } catch {
    // a write is in flight: it is on its way out already
  }
}

function bufferedStdout(): Destination {
  if (stdout) return stdout;
  const destination = pino.destination({ dest: 1, minLength: 4096, sync: false });
  setInterval(() => destination.flush(), 100).unref();
  stdout = destination;
  return destination;
}
