import { OrdersRpc } from '../orders/orders.rpc.js';
import { PaymentsRpc } from '../payments/payments.rpc.js';
import { UsersRpc } from '../users/users.rpc.js';
import type { AnyRpcDefinition } from './define-rpc.js';

/** Every RPC of every service: the gRPC transport generates its `.proto` files and serves from this list. */
export const RPC_DEFINITIONS: readonly AnyRpcDefinition[] = Object.freeze([
  ...Object.values(UsersRpc),
  ...Object.values(OrdersRpc),
  ...Object.values(PaymentsRpc),
]);
