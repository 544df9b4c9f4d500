// The inbox: one claim per consumed event, inside the handler's transaction, so a redelivery has no second effect.
export * from './inbox.orm-entity.js';
export * from './claim-inbox.js';
