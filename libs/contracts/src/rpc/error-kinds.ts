import { OrdersErrorCodes } from '../orders/orders.rpc.js';
import { PaymentsErrorCodes } from '../payments/payments.rpc.js';
import { UsersErrorCodes } from '../users/users.rpc.js';
import { CommonErrorCodes, type RpcErrorKind } from './rpc-error.js';

/** The kind of every code a service may answer with: one table for every transport and the gateway. */
export const RPC_ERROR_KINDS: Readonly<Record<string, RpcErrorKind>> = {
  [CommonErrorCodes.validationFailed]: 'invalid',
  [CommonErrorCodes.unauthenticated]: 'unauthenticated',
  [CommonErrorCodes.forbidden]: 'forbidden',
  [CommonErrorCodes.concurrencyConflict]: 'conflict',
  // A service without a handler for a call it was sent is a deployment fault, not a missing resource.
  [CommonErrorCodes.noHandler]: 'internal',
  [CommonErrorCodes.internal]: 'internal',
  [CommonErrorCodes.unavailable]: 'unavailable',
  [UsersErrorCodes.invalidCredentials]: 'unauthenticated',
  [UsersErrorCodes.invalidRefreshToken]: 'unauthenticated',
  [UsersErrorCodes.userNotFound]: 'not_found',
  [UsersErrorCodes.emailTaken]: 'conflict',
  [OrdersErrorCodes.orderNotFound]: 'not_found',
  [OrdersErrorCodes.orderNotCancellable]: 'conflict',
  [OrdersErrorCodes.idempotencyKeyReused]: 'conflict',
  [PaymentsErrorCodes.paymentNotFound]: 'not_found',
};

export function rpcErrorKindOf(code: string): RpcErrorKind {
  return RPC_ERROR_KINDS[code] ?? 'internal';
}
