import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { waitFor } from '@am/devstack';
import type { Client } from '@temporalio/client';
import { taskQueue } from '@am/workflow-contracts';
import { signInAll } from './gateway';
import { seedPeople } from './seed';
import type { BenchStack } from './stack';
import { closedLoop } from './stats';

export interface WorkerMemoryResult {
  open: number;
  rssAtBootMiB: number;
  rssPeakMiB: number;
  rssOpenMiB: number;
  /** From the first submit until every open workflow had sent its submission emails. */
  seconds: number;
  /** The submits' rate through the gateway. */
  submitsPerSecond: number;
}

/** Resident set size of a process, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kib) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) / 1024;
}

/** Running workflows on the access-workflows task queue, whatever their type. */
async function countRunning(client: Client, queue: string): Promise<number> {
  const { count } = await client.workflow.count(`ExecutionStatus = 'Running' AND TaskQueue = '${queue}'`);
  return count;
}

const ORGANIZATIONS = 100;

/**
 * The access-workflows service (the worker host) is restarted, so it starts from a fresh process;
 * then `open` requests are submitted through the public path (POST /role-requests on the gateway,
 * `concurrency` at a time, each requester asking at up to 100 organizations, one pending request
 * at each), the worker runs each request's workflow to its wait for a decision (submission emails
 * sent), and its RSS is sampled every half second throughout.
 */
export async function measureWorkerMemory(stack: BenchStack, open: number, concurrency: number): Promise<WorkerMemoryResult> {
  const orgs = Math.min(ORGANIZATIONS, open);
  const seeded = await seedPeople(stack.database.url, 'open', { orgs, requesters: Math.ceil(open / orgs), firstIdentifier: 810_000_000 });
  const requesters = await signInAll(stack.services.gatewayUrl, seeded.requesters.map((u) => u.loginId));
  const emailed = stack.sink.countOf('/submitted/requester');
  const queue = taskQueue('accessWorkflows', stack.taskQueuePrefix);
  const runningBefore = await countRunning(stack.client, queue);
  await stack.services.restart('access-workflows');
  const pid = stack.services.processes.get('access-workflows')?.child.pid;
  if (!pid) throw new Error('access-workflows is not running');
  const rssAtBootMiB = rssMiB(pid);
  let rssPeakMiB = rssAtBootMiB;
  const sampler = setInterval(() => (rssPeakMiB = Math.max(rssPeakMiB, rssMiB(pid))), 500);
  try {
    const started = Date.now();
    // An Idempotency-Key makes a submit safe to retry when an overloaded gateway answers 503.
    const submits = await closedLoop(open, concurrency, async (i) => {
      await requesters[Math.floor(i / orgs)].post(
        '/api/v1/role-requests',
        { organizationId: seeded.organizations[i % orgs], role: 'STAFF_USER', justification: 'Benchmark request.' },
        201,
        true,
        { 'idempotency-key': randomUUID() },
      );
    });
    await waitFor(
      `${open} submitted workflows to send their submission emails`,
      async () => stack.sink.countOf('/submitted/requester') - emailed >= open,
      30 * 60_000,
      500,
    );
    const seconds = (Date.now() - started) / 1000;
    const running = (await countRunning(stack.client, queue)) - runningBefore;
    if (running < open) throw new Error(`only ${running} of ${open} request workflows are running`);
    const rssOpenMiB = rssMiB(pid);
    rssPeakMiB = Math.max(rssPeakMiB, rssOpenMiB);
    return { open: running, rssAtBootMiB, rssPeakMiB, rssOpenMiB, seconds, submitsPerSecond: submits.throughput };
  } finally {
    clearInterval(sampler);
  }
}
