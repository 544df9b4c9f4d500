// `@app/messaging/in-process`: RPC and integration events inside one process (the modular monolith).
export * from './in-process-broker.js';
export * from './in-process-rpc.client.js';
export * from './in-process-rpc.server.js';
export * from './in-process-events.js';
