export * from './rpc/actor.js';
export * from './rpc/queues.js';
export * from './rpc/rpc-error.js';
export * from './events/integration-event.js';
export * from './events/money.schema.js';
export * from './users/users.rpc.js';
export * from './users/users.events.js';
export * from './orders/orders.events.js';
