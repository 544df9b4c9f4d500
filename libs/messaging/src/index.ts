// `@app/messaging`: the transport-neutral parts only, the one entry a bounded context may import.
// Each transport (`@app/messaging/amqp`, `/in-process`, `/grpc`) and the host wiring
// (`@app/messaging/host`) have their own entry, for the apps that choose and wire them.
export * from './rpc/index.js';
export * from './events/index.js';
export * from './outbox/index.js';
export * from './inbox/index.js';
export * from './auth/index.js';
