import { CommonErrorCodes, rpcErrorKindOf, type RpcErrorKind } from '@app/contracts';

/** Codes the gateway itself answers with. */
export const GatewayErrorCodes = {
  validationFailed: CommonErrorCodes.validationFailed,
  malformedJson: 'MALFORMED_JSON',
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  unsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  unauthenticated: CommonErrorCodes.unauthenticated,
  forbidden: CommonErrorCodes.forbidden,
  routeNotFound: 'ROUTE_NOT_FOUND',
  methodNotAllowed: 'METHOD_NOT_ALLOWED',
  rateLimited: 'RATE_LIMITED',
  upstreamTimeout: 'UPSTREAM_TIMEOUT',
  serviceUnavailable: 'SERVICE_UNAVAILABLE',
  registrationClosed: 'REGISTRATION_CLOSED',
  orderPlacementPaused: 'ORDER_PLACEMENT_PAUSED',
  internal: CommonErrorCodes.internal,
} as const;

/** The HTTP status of each kind of failure a service answers with (its code's kind, see RPC_ERROR_KINDS). */
export const KIND_STATUS: Readonly<Record<RpcErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

/** The HTTP status of a code a service answered with; a code without a kind is a 500. */
export function remoteCodeStatus(code: string): number {
  return KIND_STATUS[rpcErrorKindOf(code)];
}

/** Code for an HttpException raised by Nest or Fastify itself, by status. */
export const STATUS_CODE: Readonly<Record<number, string>> = {
  400: GatewayErrorCodes.validationFailed,
  401: GatewayErrorCodes.unauthenticated,
  403: GatewayErrorCodes.forbidden,
  404: GatewayErrorCodes.routeNotFound,
  405: GatewayErrorCodes.methodNotAllowed,
  413: GatewayErrorCodes.payloadTooLarge,
  415: GatewayErrorCodes.unsupportedMediaType,
  429: GatewayErrorCodes.rateLimited,
  503: GatewayErrorCodes.serviceUnavailable,
  504: GatewayErrorCodes.upstreamTimeout,
};

export const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};
