// jest 30 in native ESM (NODE_OPTIONS=--experimental-vm-modules, set by scripts/test.mjs),
// TypeScript compiled by swc with decorator metadata (Nest's DI needs it).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
      target: 'es2022',
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    // A library's own entries (`@app/messaging/amqp`); which exist is tsconfig.json's `paths`.
    '^@app/([a-z-]+)/([a-z-]+)$': '<rootDir>/libs/$1/src/$2/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  rootDir: '.',
};

/**
 * The suites that must pass in every shape: the same files, run again against the services
 * with RPC over gRPC (`e2e-grpc`) and against the modular monolith (`e2e-monolith`).
 */
const PARITY_SUITES = ['users-auth', 'order-saga', 'order-payments', 'tracing', 'live-config'].map(
  (name) => `<rootDir>/test/e2e/${name}.e2e-spec.ts`,
);

/**
 * The fault suite (`npm run test:faults`, issue #11): real processes behind fault proxies, a
 * RabbitMQ cluster of its own. Its fast scenarios (`*.fast.faults-spec.ts`) also run in `npm test`
 * as the `faults-fast` project; the whole suite only when FAULT_SUITE=all (set by test:faults).
 * Each scenario writes its row to coverage/faults/; scripts/fault-table.mjs prints them.
 */
const FAULTS = shared;

export default {
  projects: [
    process.env.FAULT_SUITE === 'all'
      ? { ...FAULTS, displayName: 'faults', testMatch: ['<rootDir>/test/faults/*.faults-spec.ts'] }
      : { ...FAULTS, displayName: 'faults-fast', testMatch: ['<rootDir>/test/faults/*.fast.faults-spec.ts'] },
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/test/deploy/*.spec.ts'],
    },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    {
      ...shared,
      displayName: 'e2e-monolith',
      testMatch: PARITY_SUITES,
      setupFiles: ['<rootDir>/test/support/monolith-shape.ts'],
    },
    {
      ...shared,
      displayName: 'e2e-grpc',
      testMatch: PARITY_SUITES,
      setupFiles: ['<rootDir>/test/support/grpc-shape.ts'],
    },
  ],
};
