import { join } from 'node:path';
import { freePort, startServices, type RunningServices } from '@am/devstack';
import { testStack } from '../setup/stack';

/**
 * Four more service processes against the run's Temporal, database and SMTP server, with their
 * own task queues and ports (and whatever settings the test overrides), for tests that need a
 * differently configured stack. They do not reconcile: the run's other requests are not theirs.
 * `unset` names settings of the run's stack this one runs without (its default applies).
 */
export async function startExtraStack(name: string, overrides: Record<string, string>, o: { unset?: string[] } = {}): Promise<RunningServices> {
  const stack = testStack();
  const inherited = { ...stack.serviceEnv };
  for (const key of o.unset ?? []) delete inherited[key];
  const [gateway, directory, workflows, notifications] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  return startServices({
    env: {
      ...inherited,
      TASK_QUEUE_PREFIX: `${name}-${process.pid}`,
      GATEWAY_PORT: String(gateway),
      DIRECTORY_PORT: String(directory),
      ACCESS_WORKFLOWS_PORT: String(workflows),
      NOTIFICATIONS_PORT: String(notifications),
      RECONCILE_ON_START: 'false',
      ...overrides,
    },
    logDir: join(stack.logDir, name),
  });
}
