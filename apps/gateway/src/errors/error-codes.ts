import { CommonErrorCodes, OrdersErrorCodes, UsersErrorCodes } from '@app/contracts';

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

/** HTTP status of each code a service may answer with; anything else is a 500. */
export const REMOTE_CODE_STATUS: Readonly<Record<string, number>> = {
  [CommonErrorCodes.validationFailed]: 400,
  [CommonErrorCodes.unauthenticated]: 401,
  [CommonErrorCodes.forbidden]: 403,
  [CommonErrorCodes.concurrencyConflict]: 409,
  [CommonErrorCodes.unavailable]: 503,
  [UsersErrorCodes.invalidCredentials]: 401,
  [UsersErrorCodes.invalidRefreshToken]: 401,
  [UsersErrorCodes.userNotFound]: 404,
  [UsersErrorCodes.emailTaken]: 409,
  [OrdersErrorCodes.orderNotFound]: 404,
  [OrdersErrorCodes.orderNotCancellable]: 409,
  [OrdersErrorCodes.idempotencyKeyReused]: 409,
};

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
