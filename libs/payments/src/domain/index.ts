export * from './payment-status.js';
export * from './payment-keys.js';
export * from './payment.aggregate.js';
export * from './payment.errors.js';
export * from './payment-captured.domain-event.js';
export * from './payment-declined.domain-event.js';
export * from './payment-refunded.domain-event.js';
export * from './payment-voided.domain-event.js';
