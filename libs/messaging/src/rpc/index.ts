// The RPC port: the client every caller holds, its errors, and the dispatch and error body every server shares.
export * from './rpc-client.js';
export * from './rpc-errors.js';
export * from './rpc-dispatch.js';
export * from './rpc-error-body.js';
export * from './rpc-error.filter.js';
export * from './rpc-handler.decorator.js';
export * from './parse-rpc-request.js';
