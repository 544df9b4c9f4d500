import { z } from 'zod';
import { OrderStatuses, OrdersRpc } from '../orders/orders.rpc.js';
import { UsersRpc } from '../users/users.rpc.js';
import { Roles } from './actor.js';
import { defineRpc, type AnyRpcDefinition } from './define-rpc.js';

/*
 * Provisional: the eleven RPCs as the gRPC transport needs them (name, method, schemas), written
 * from the request and response interfaces beside them, until the contracts work (issue #13,
 * point 1) brings the real definitions with their rules; that list replaces this file.
 */

const accessToken = z.string();
const cents = z.int().min(0);

const user = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(Roles),
  creditLimitCents: cents,
  creditReservedCents: cents,
  createdAt: z.string(),
  updatedAt: z.string(),
});
const session = z.object({ user, refreshToken: z.string(), refreshTokenExpiresAt: z.string() });
const orderItem = z.object({ sku: z.string(), quantity: z.int(), unitPriceCents: cents });
const order = z.object({
  id: z.string(),
  userId: z.string(),
  status: z.enum(OrderStatuses),
  items: z.array(orderItem),
  totalCents: cents,
  currency: z.string(),
  rejectionReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const page = { limit: z.int().min(1).max(100).optional(), cursor: z.string().optional() };

export const RPC_DEFINITIONS: readonly AnyRpcDefinition[] = [
  defineRpc({
    service: 'users',
    name: UsersRpc.register,
    grpcMethod: 'Register',
    request: z.object({ email: z.string(), password: z.string(), name: z.string() }),
    response: user,
    idempotent: false,
  }),
  defineRpc({
    service: 'users',
    name: UsersRpc.authenticate,
    grpcMethod: 'Authenticate',
    request: z.object({ email: z.string(), password: z.string() }),
    response: session,
    idempotent: false,
  }),
  defineRpc({
    service: 'users',
    name: UsersRpc.refresh,
    grpcMethod: 'Refresh',
    request: z.object({ refreshToken: z.string() }),
    response: session,
    idempotent: false,
  }),
  defineRpc({
    service: 'users',
    name: UsersRpc.logout,
    grpcMethod: 'Logout',
    request: z.object({ refreshToken: z.string() }),
    response: z.null(),
    idempotent: false,
  }),
  defineRpc({
    service: 'users',
    name: UsersRpc.get,
    grpcMethod: 'GetUser',
    request: z.object({ accessToken, userId: z.string() }),
    response: user,
    idempotent: true,
  }),
  defineRpc({
    service: 'users',
    name: UsersRpc.list,
    grpcMethod: 'ListUsers',
    request: z.object({ accessToken, ...page }),
    response: z.object({ items: z.array(user), nextCursor: z.string().nullable() }),
    idempotent: true,
  }),
  defineRpc({
    service: 'users',
    name: UsersRpc.updateProfile,
    grpcMethod: 'UpdateProfile',
    request: z.object({
      accessToken,
      userId: z.string(),
      name: z.string().optional(),
      email: z.string().optional(),
    }),
    response: user,
    idempotent: false,
  }),
  defineRpc({
    service: 'orders',
    name: OrdersRpc.place,
    grpcMethod: 'PlaceOrder',
    request: z.object({
      accessToken,
      idempotencyKey: z.string(),
      currency: z.string(),
      items: z.array(orderItem),
    }),
    response: z.object({ order, replayed: z.boolean() }),
    idempotent: false,
  }),
  defineRpc({
    service: 'orders',
    name: OrdersRpc.get,
    grpcMethod: 'GetOrder',
    request: z.object({ accessToken, orderId: z.string() }),
    response: order,
    idempotent: true,
  }),
  defineRpc({
    service: 'orders',
    name: OrdersRpc.list,
    grpcMethod: 'ListOrders',
    request: z.object({ accessToken, status: z.enum(OrderStatuses).optional(), ...page }),
    response: z.object({ items: z.array(order), nextCursor: z.string().nullable() }),
    idempotent: true,
  }),
  defineRpc({
    service: 'orders',
    name: OrdersRpc.cancel,
    grpcMethod: 'CancelOrder',
    request: z.object({ accessToken, orderId: z.string() }),
    response: order,
    idempotent: false,
  }),
];
