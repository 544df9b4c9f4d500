export * from './aggregate-root.js';
export * from './domain-event.js';
export * from './domain-error.js';
export * from './unit-of-work.js';
export * from './in-memory-unit-of-work.js';
