import { readFileSync } from 'node:fs';
import { waitFor } from '@am/devstack';
import type { Client } from '@temporalio/client';
import { taskQueue } from '@am/workflow-contracts';
import { seedPendingRequests, seedPeople } from './seed';
import type { BenchStack } from './stack';

export interface WorkerMemoryResult {
  open: number;
  rssAtBootMiB: number;
  rssPeakMiB: number;
  rssOpenMiB: number;
  /** From the access-workflows boot until every open workflow had sent its submission emails. */
  seconds: number;
}

/** Resident set size of a process, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kib) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) / 1024;
}

async function countRunning(client: Client, queue: string): Promise<number> {
  const { count } = await client.workflow.count(`WorkflowType = 'roleRequestWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${queue}'`);
  return count;
}

/**
 * `open` pending requests are put in the directory as an outage would leave them, then the
 * access-workflows service (the worker host) is restarted: its reconciler starts a workflow for
 * each, the worker runs them to their wait for a decision (submission emails sent), and its RSS is
 * sampled every half second throughout.
 */
export async function measureWorkerMemory(stack: BenchStack, open: number): Promise<WorkerMemoryResult> {
  const seeded = await seedPeople(stack.database.url, 'open', { orgs: 100, requesters: open, firstIdentifier: 810_000_000 });
  const emailed = stack.sink.countOf('/submitted/requester');
  const queue = taskQueue('accessWorkflows', stack.taskQueuePrefix);
  const runningBefore = await countRunning(stack.client, queue);
  await seedPendingRequests(stack.database.url, seeded, open);
  const started = Date.now();
  await stack.services.restart('access-workflows');
  const pid = stack.services.processes.get('access-workflows')?.child.pid;
  if (!pid) throw new Error('access-workflows is not running');
  const rssAtBootMiB = rssMiB(pid);
  let rssPeakMiB = rssAtBootMiB;
  const sampler = setInterval(() => (rssPeakMiB = Math.max(rssPeakMiB, rssMiB(pid))), 500);
  try {
    await waitFor(
      `${open} reconciled workflows to send their submission emails`,
      async () => stack.sink.countOf('/submitted/requester') - emailed >= open,
      30 * 60_000,
      500,
    );
    const seconds = (Date.now() - started) / 1000;
    const running = (await countRunning(stack.client, queue)) - runningBefore;
    if (running < open) throw new Error(`only ${running} of ${open} request workflows are running`);
    const rssOpenMiB = rssMiB(pid);
    rssPeakMiB = Math.max(rssPeakMiB, rssOpenMiB);
    return { open: running, rssAtBootMiB, rssPeakMiB, rssOpenMiB, seconds };
  } finally {
    clearInterval(sampler);
  }
}
