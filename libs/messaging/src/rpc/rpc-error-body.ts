import type { LoggerService } from '@nestjs/common';
import { DomainError } from '@app/ddd';
import { CommonErrorCodes, type RpcErrorBody } from '@app/contracts';
import { isTransientDatabaseError } from '@app/platform';

/**
 * Turns whatever a handler threw into the wire error. Domain errors keep their code and
 * message; a database away for a moment is SERVICE_UNAVAILABLE (retryable); anything else is
 * logged here and answered without internals.
 */
export function toRpcErrorBody(error: unknown, logger: LoggerService): RpcErrorBody {
  if (error instanceof DomainError) {
    return { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
  }
  if (isRpcErrorBody(error)) return error;
  if (isTransientDatabaseError(error)) {
    logger.warn(`database unavailable: ${(error as Error).message}`);
    return { code: CommonErrorCodes.unavailable, message: 'the service could not reach its database, try again' };
  }
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return { code: CommonErrorCodes.internal, message: 'internal error' };
}

/** A body already made (by RpcErrorFilter); not an error that merely has a `code`, as driver errors do. */
function isRpcErrorBody(value: unknown): value is RpcErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Error) &&
    typeof (value as RpcErrorBody).code === 'string' &&
    typeof (value as RpcErrorBody).message === 'string'
  );
}
