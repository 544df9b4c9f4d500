export * from './payments.module.js';
export { paymentsEntities, paymentsMigrations } from './infrastructure/payments.schema.js';
