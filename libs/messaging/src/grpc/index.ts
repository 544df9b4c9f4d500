// The gRPC transport of the RPC port: server, client, and the .proto generation they rest on.
export * from './grpc-rpc.server.js';
export * from './grpc-rpc.client.js';
export * from './grpc-status.js';
export * from './grpc-metadata.js';
export * from './proto/proto-source.js';
export * from './proto/proto-files.js';
