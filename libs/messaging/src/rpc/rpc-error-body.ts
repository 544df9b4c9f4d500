import type { LoggerService } from '@nestjs/common';
import { DomainError } from '@app/ddd';
import { CommonErrorCodes, type RpcErrorBody } from '@app/contracts';

/**
 * Turns whatever a handler threw into the wire error. Domain errors keep their code and
 * message; anything else is logged here and answered without internals.
 */
export function toRpcErrorBody(error: unknown, logger: LoggerService): RpcErrorBody {
  if (error instanceof DomainError) {
    return { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
  }
  if (isRpcErrorBody(error)) return error;
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return { code: CommonErrorCodes.internal, message: 'internal error' };
}

function isRpcErrorBody(value: unknown): value is RpcErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RpcErrorBody).code === 'string' &&
    typeof (value as RpcErrorBody).message === 'string'
  );
}
