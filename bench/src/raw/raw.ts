import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { closedLoop, summarize, timed, type LoadResult, type Summary } from '../stats';
import { decide, rawDecisionWorkflow } from './workflows';

export interface RawResult {
  load: LoadResult;
  /** Iterations run before the measured ones. */
  warmup: number;
  /** The Update round-trip alone (executeUpdate until its result). */
  update: Summary;
}

/**
 * Start + Update + complete of the trivial workflow, on the same dev server and at the same
 * concurrency as the lifecycle, with its worker in this process.
 */
export async function runRawBaseline(o: { address: string; namespace: string; client: Client; iterations: number; concurrency: number }): Promise<RawResult> {
  const taskQueue = `bench-raw-${process.pid}`;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: o.address });
  const worker = await Worker.create({ connection, namespace: o.namespace, taskQueue, workflowsPath: require.resolve('./workflows') });
  const updates: number[] = [];
  const one = async () => {
    const handle = await o.client.workflow.start(rawDecisionWorkflow, { taskQueue, workflowId: `bench-raw-${randomUUID()}` });
    await timed(updates, () => handle.executeUpdate(decide, { args: ['APPROVE'] }));
    await handle.result();
  };
  try {
    return await worker.runUntil(async () => {
      const warmup = Math.min(50, o.iterations);
      await closedLoop(warmup, o.concurrency, one);
      updates.length = 0;
      const load = await closedLoop(o.iterations, o.concurrency, one);
      return { load, warmup, update: summarize(updates) };
    });
  } finally {
    await connection.close();
  }
}
