/** What global setup started, handed to the test files through the environment. */
export interface TestStack {
  gatewayUrl: string;
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueuePrefix: string;
  mailWebUrl: string;
  smtpUrl: string;
  /** Where the run's logs go; extra stacks started by a test write theirs here too. */
  logDir: string;
  /** The environment the services of this stack run with; a test starting extra services derives its own from it. */
  serviceEnv: Record<string, string | undefined>;
}

const KEY = 'AM_TEST_STACK';

export function publishStack(stack: TestStack): void {
  process.env[KEY] = JSON.stringify(stack);
}

export function testStack(): TestStack {
  const raw = process.env[KEY];
  if (!raw) throw new Error('The integration stack is not running: run the integration tests through jest (npm test)');
  return JSON.parse(raw) as TestStack;
}
