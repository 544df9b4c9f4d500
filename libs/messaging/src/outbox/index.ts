// The transactional outbox: rows written in the aggregate's transaction, relayed to whichever event transport the host chose.
export * from './outbox.orm-entity.js';
export * from './outbox-message.js';
export * from './outbox-message-of.js';
export * from './outbox-options.js';
export * from './outbox-signal.js';
export * from './outbox-writer.js';
export * from './outbox-relay.js';
export * from './outbox-schema.js';
