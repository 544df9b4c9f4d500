import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { IDEMPOTENCY_KEY_RULE, idempotencyKeySchema } from '@app/contracts';
import { RequestValidationError } from '../errors/request-validation.error.js';

const FIELD = 'Idempotency-Key';

/** Set to `true` on an answer replayed for a repeated Idempotency-Key (same key, same body). */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** The `Idempotency-Key` header's value; throws RequestValidationError when it is missing or malformed. */
export function idempotencyKeyFrom(headers: FastifyRequest['headers']): string {
  const value = headers['idempotency-key'];
  if (value === undefined) {
    throw new RequestValidationError([{ field: FIELD, message: 'the Idempotency-Key header is required' }]);
  }
  // A repeated header arrives joined with ", " (or as an array), and is refused like any other bad value.
  const key = idempotencyKeySchema.safeParse(value);
  if (!key.success) throw new RequestValidationError([{ field: FIELD, message: `${FIELD} ${IDEMPOTENCY_KEY_RULE}` }]);
  return key.data;
}

/** The client's `Idempotency-Key` header, required and checked. */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string =>
  idempotencyKeyFrom(context.switchToHttp().getRequest<FastifyRequest>().headers),
);
