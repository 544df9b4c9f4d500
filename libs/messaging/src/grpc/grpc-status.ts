import { Metadata, status as Status, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { CommonErrorCodes, rpcErrorKindOf, type RpcErrorBody, type RpcErrorKind } from '@app/contracts';

/** Trailing metadata carrying our error body, so a gRPC failure reads back as the same RpcRemoteError. */
export const ErrorTrailers = {
  code: 'x-error-code',
  /** JSON of `details`; binary (`-bin`) so any UTF-8 text crosses. */
  details: 'x-error-details-bin',
} as const;

/**
 * The gRPC status of each kind of error. A conflict (email taken, order not cancellable,
 * concurrency conflict, key reused) is ABORTED, the status HTTP mappings pair with 409, as the
 * gateway answers; our own code in the trailers says which conflict.
 */
const STATUS_OF_KIND: Readonly<Record<RpcErrorKind, Status>> = {
  invalid: Status.INVALID_ARGUMENT,
  unauthenticated: Status.UNAUTHENTICATED,
  forbidden: Status.PERMISSION_DENIED,
  not_found: Status.NOT_FOUND,
  conflict: Status.ABORTED,
  unavailable: Status.UNAVAILABLE,
  internal: Status.INTERNAL,
};

/** The status of an error body, with its code, message and details. */
export function statusOf(body: RpcErrorBody): Partial<StatusObject> {
  const metadata = new Metadata();
  metadata.set(ErrorTrailers.code, body.code);
  if (body.details) metadata.set(ErrorTrailers.details, Buffer.from(JSON.stringify(body.details), 'utf8'));
  // An unknown method is UNIMPLEMENTED in gRPC, whatever kind the table gives it.
  const code =
    body.code === CommonErrorCodes.noHandler ? Status.UNIMPLEMENTED : STATUS_OF_KIND[rpcErrorKindOf(body.code)];
  return { code, details: body.message, metadata };
}

/** Our code for a status that came without one (from grpc-js itself, a proxy, or another server). */
const CODE_OF_STATUS: Partial<Record<Status, string>> = {
  [Status.INVALID_ARGUMENT]: CommonErrorCodes.validationFailed,
  [Status.OUT_OF_RANGE]: CommonErrorCodes.validationFailed,
  [Status.UNAUTHENTICATED]: CommonErrorCodes.unauthenticated,
  [Status.PERMISSION_DENIED]: CommonErrorCodes.forbidden,
  [Status.UNIMPLEMENTED]: CommonErrorCodes.noHandler,
  [Status.ABORTED]: CommonErrorCodes.concurrencyConflict,
  [Status.RESOURCE_EXHAUSTED]: CommonErrorCodes.unavailable,
};

/** The error body a failed call reads back: ours from the trailers, else one made from the status. */
export function errorBodyOf(error: ServiceError): RpcErrorBody {
  const [code] = error.metadata?.get(ErrorTrailers.code) ?? [];
  if (typeof code === 'string') {
    const [details] = error.metadata.get(ErrorTrailers.details);
    return {
      code,
      message: error.details,
      ...(Buffer.isBuffer(details) ? { details: parseDetails(details) } : {}),
    };
  }
  return {
    code: CODE_OF_STATUS[error.code] ?? CommonErrorCodes.internal,
    message: `gRPC ${Status[error.code] ?? error.code}: ${error.details}`,
  };
}

/** Whether the status came from our server (it carries our code) rather than from the channel. */
export function hasOurCode(error: ServiceError): boolean {
  return (error.metadata?.get(ErrorTrailers.code).length ?? 0) > 0;
}

function parseDetails(bytes: Buffer): Record<string, unknown> {
  try {
    return JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    return { unreadable: bytes.toString('utf8') };
  }
}
