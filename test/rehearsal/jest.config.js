// `npm run rehearse` (scripts/rehearse.mjs): the production rehearsal, apart from `npm test`'s
// projects because it starts a whole production topology of its own (test/rehearsal).
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }];

module.exports = {
  rootDir: '../..',
  displayName: 'rehearsal',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  testMatch: ['<rootDir>/test/rehearsal/**/*.rehearsal-spec.ts'],
  testTimeout: 600_000,
  slowTestThreshold: 120,
};
