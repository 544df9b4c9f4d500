/** How an RPC failure crosses the wire. `code` is stable and part of the API. */
export interface RpcErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** The reply envelope of every RPC. */
export type RpcReply<T> = { ok: true; data: T } | { ok: false; error: RpcErrorBody };

/** Codes any service may answer with; contexts add their own next to their patterns. */
export const CommonErrorCodes = {
  validationFailed: 'VALIDATION_FAILED',
  /** A call that acts for a user came without a valid access token. */
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  concurrencyConflict: 'CONCURRENCY_CONFLICT',
  noHandler: 'NO_HANDLER',
  internal: 'INTERNAL_ERROR',
  /** A dependency of the service (its database) failed for a moment: safe to retry. */
  unavailable: 'SERVICE_UNAVAILABLE',
} as const;

/**
 * What kind of failure a code is, whatever carries it: the gateway answers its HTTP status
 * from it, the gRPC transport its status code. Every code a service may answer with has one;
 * a code without one is an internal error (and fails the error-code test).
 */
export type RpcErrorKind =
  'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'unavailable' | 'internal';
