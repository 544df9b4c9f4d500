// `@app/messaging/host`: how an app assembles a context with a transport, as its own service or in process.
export * from './service-host.js';
export * from './in-process-host.js';
