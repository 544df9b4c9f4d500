// The events port: what a context subscribes with, the transport a host plugs in, and the module between them.
export * from './event-subscription.js';
export * from './event-subscriptions.js';
export * from './event-consumer-options.js';
export * from './event-transport.js';
export * from './events.module.js';
