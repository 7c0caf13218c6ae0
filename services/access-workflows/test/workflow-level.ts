// What the workflow-level tests share: the run's Temporal dev server, a client, a native connection
// for workers and the bundle of the workflows, recorded histories, and waiting for a condition.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, type WorkflowBundle } from '@temporalio/worker';

/** The dev server the integration run started (test/setup/global-setup.ts publishes it in AM_TEST_STACK). */
export function testStack(): { temporalAddress: string; temporalNamespace: string } {
  const raw = process.env.AM_TEST_STACK;
  if (!raw) throw new Error('The integration stack is not running: run this through jest (npm test)');
  return JSON.parse(raw) as { temporalAddress: string; temporalNamespace: string };
}

export interface WorkflowLevel {
  /** For workers. */
  connection: NativeConnection;
  client: Client;
  workflowBundle: WorkflowBundle;
}

/** Connects to the run's dev server and bundles the workflows once for a test file; `close` in afterAll. */
export function workflowLevel(): { get: () => WorkflowLevel; open: () => Promise<void>; close: () => Promise<void> } {
  let level: WorkflowLevel | undefined;
  let clientConnection: Connection | undefined;
  return {
    get: () => {
      if (!level) throw new Error('workflowLevel().open() has not run');
      return level;
    },
    open: async () => {
      const { temporalAddress, temporalNamespace } = testStack();
      const connection = await NativeConnection.connect({ address: temporalAddress });
      clientConnection = await Connection.connect({ address: temporalAddress });
      const client = new Client({ connection: clientConnection, namespace: temporalNamespace });
      const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../src/workflows'), logger: new DefaultLogger('WARN') });
      level = { connection, client, workflowBundle };
    },
    close: async () => {
      await clientConnection?.close();
      await level?.connection.close();
    },
  };
}

const HISTORIES = join(__dirname, 'histories');

/** With RECORD_HISTORIES=1, keeps this run's history for the replay test (docs/WORKFLOW-VERSIONING.md). */
export async function recordHistoryIfAsked(handle: WorkflowHandle, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  await handle.result().catch(() => undefined);
  writeFileSync(join(HISTORIES, `${name}.json`), historyToJSON(await handle.fetchHistory()));
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
