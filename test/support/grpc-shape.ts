// Setup file of the `e2e-grpc` jest project: the parity suites, run against the services with RPC over gRPC.
process.env.E2E_SHAPE = 'grpc';
