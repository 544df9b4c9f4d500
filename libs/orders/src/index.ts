export * from './orders.module.js';
export { ordersEntities, ordersMigrations } from './infrastructure/orders.schema.js';
