// Setup file of the `e2e-monolith` jest project: the parity suites, run against the modular monolith.
process.env.E2E_SHAPE = 'monolith';
