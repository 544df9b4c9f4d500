import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
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
    useFactory: (config: ConfigService<BaseEnv, true>) => ({
      pinoHttp: {
        level: config.get('LOG_LEVEL', { infer: true }),
        ...(config.get('LOG_PRETTY', { infer: true }) ? { transport: { target: 'pino-pretty' } } : {}),
        base: { service },
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        mixin: () => {
          const context = currentMessageContext();
          return { ...(context ? { correlationId: context.correlationId } : {}), ...activeTraceIds() };
        },
      },
      // No pino-http middleware: it cost the gateway a tenth of its CPU (a child logger, a
      // copy of every header and a redaction pass per request, run through Nest's middleware
      // layer). Lines logged during a request get its correlation id from the mixin above, and
      // createHttpApp writes the one access line per request (see logRequests).
      forRoutes: [],
    }),
  });
}
