// Unit and integration tests run from TypeScript sources through swc; e2e tests
// drive the compiled provider (dist/) with the real terraform binary.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/tests/summary-reporter.js'],
  // A runtime directory for the provider hosts this run's terraform runs start, and their end.
  globalSetup: '<rootDir>/tests/global-setup.js',
  globalTeardown: '<rootDir>/tests/global-teardown.ts',
};
