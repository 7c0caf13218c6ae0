// Test tiers by suffix (STYLE.md): *.spec.ts are unit tests with no network;
// *.integration-spec.ts run against the real Temporal dev server, PostgreSQL and SMTP server
// that test/setup/global-setup.ts starts once per run.
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }];

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/libs/*/src/**/*.spec.ts', '<rootDir>/services/*/src/**/*.spec.ts', '<rootDir>/services/*/test/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/test/**/*.integration-spec.ts', '<rootDir>/services/*/test/**/*.integration-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
      slowTestThreshold: 30,
      // Real servers under a full parallel run: a generous default per test (test/setup/timeout.ts);
      // tests that wait for a condition use waitFor with their own limits. Every answer of the
      // gateway a test receives is checked against the OpenAPI document (test/setup/openapi-contract.ts).
      setupFilesAfterEnv: ['<rootDir>/test/setup/timeout.ts', '<rootDir>/test/setup/openapi-contract.ts'],
    },
  ],
};
