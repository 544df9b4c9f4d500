/**
 * The services the manifests deploy behind the gateway, and the variables that place each one:
 * the one list every deploy check enumerates, so a new service is checked everywhere by adding it
 * here (a check that forgets one would pass for the service it never looks at).
 */
export const SERVICE_APPS = [
  {
    app: 'users',
    managementPortVar: 'USERS_HTTP_PORT',
    managementPort: 3001,
    databaseVar: 'USERS_DB_NAME',
    grpc: { targetVar: 'USERS_GRPC_TARGET', portVar: 'USERS_GRPC_PORT', defaultPort: 50051 },
  },
  {
    app: 'orders',
    managementPortVar: 'ORDERS_HTTP_PORT',
    managementPort: 3002,
    databaseVar: 'ORDERS_DB_NAME',
    grpc: { targetVar: 'ORDERS_GRPC_TARGET', portVar: 'ORDERS_GRPC_PORT', defaultPort: 50052 },
  },
  {
    app: 'payments',
    managementPortVar: 'PAYMENTS_HTTP_PORT',
    managementPort: 3003,
    databaseVar: 'PAYMENTS_DB_NAME',
    grpc: { targetVar: 'PAYMENTS_GRPC_TARGET', portVar: 'PAYMENTS_GRPC_PORT', defaultPort: 50053 },
  },
];

/** Every app with a Deployment and its own Secret: the gateway and the services. */
export const DEPLOYED_APPS = ['gateway', ...SERVICE_APPS.map((s) => s.app)];
