/** RPC queues, one per service; test runs prepend a prefix (see `@app/messaging`). */
export const RpcQueues = {
  users: 'users.rpc',
  orders: 'orders.rpc',
  payments: 'payments.rpc',
} as const;

/** The durable topic exchange all integration events go through. */
export const EVENTS_EXCHANGE = 'events';
