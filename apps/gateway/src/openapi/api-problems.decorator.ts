import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: malformed JSON, unknown or invalid fields (VALIDATION_FAILED, MALFORMED_JSON)',
  401: 'Missing, invalid or expired credentials (UNAUTHENTICATED, INVALID_CREDENTIALS, INVALID_REFRESH_TOKEN)',
  403: 'Not allowed for this user (FORBIDDEN), or sign-up is closed (REGISTRATION_CLOSED)',
  404: 'Not found, or not yours (USER_NOT_FOUND, ORDER_NOT_FOUND, PAYMENT_NOT_FOUND)',
  409: 'Conflicts with the current state (EMAIL_TAKEN, ORDER_NOT_CANCELLABLE, IDEMPOTENCY_KEY_REUSED)',
  413: 'Body over 64 KiB (PAYLOAD_TOO_LARGE)',
  415: 'Body is not JSON (UNSUPPORTED_MEDIA_TYPE)',
  429: 'Too many requests; see Retry-After (RATE_LIMITED)',
  503: 'A service is unavailable or its circuit is open (SERVICE_UNAVAILABLE), or order placement is paused (ORDER_PLACEMENT_PAUSED); see Retry-After',
  504: 'A service did not answer in time (UPSTREAM_TIMEOUT)',
};

/** The answers that say when to try again. */
const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer', minimum: 1, example: 1 },
  },
};
const WITH_RETRY_AFTER = new Set([429, 503]);

/** Every route may answer these; the route adds its own. */
const ALWAYS = [429, 503, 504];

/** Documents the problem+json answers of a route. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...[...new Set([...statuses, ...ALWAYS])].map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        ...(WITH_RETRY_AFTER.has(status) ? { headers: RETRY_AFTER } : {}),
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemResponse' } } },
      }),
    ),
  );
}
