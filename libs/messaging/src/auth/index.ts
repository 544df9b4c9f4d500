// Verifying the actor a request carries, the same way whichever transport brought it.
export * from './access-token-verifier.js';
export * from './verification-keys.js';
export * from './actor-verifier.js';
export * from './actor-verifier.module.js';
