import { randomUUID } from 'node:crypto';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { closedLoop, mapLimit, openLoop, summarize, timed, type LoadResult, type OpenLoopResult, type Summary } from '../stats';
import { decide, rawDecisionWorkflow } from './workflows';

export interface RawResult {
  load: LoadResult;
  /** Iterations run before the measured ones. */
  warmup: number;
  /** The start alone (workflow.start until the server has recorded it), inside each iteration. */
  start: Summary;
  /** The Update round-trip alone (executeUpdate until its result). */
  update: Summary;
  /** When the measured iterations began and ended (epoch ms): the window their workflows started in. */
  window: { from: number; to: number };
}

export const RAW_WORKFLOW_TYPE = 'rawDecisionWorkflow';

let runtimeInstalled = false;

/**
 * The raw engine: a trivial workflow (start, one Update, complete) on the same dev server as the
 * product, with its worker in this process. Runs until stop().
 */
export class RawEngine {
  private constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly connection: NativeConnection,
    private readonly running: Promise<void>,
    private readonly worker: Worker,
  ) {}

  static async start(o: { address: string; namespace: string; client: Client }): Promise<RawEngine> {
    const taskQueue = `bench-raw-${process.pid}`;
    if (!runtimeInstalled) Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
    const connection = await NativeConnection.connect({ address: o.address });
    const worker = await Worker.create({ connection, namespace: o.namespace, taskQueue, workflowsPath: require.resolve('./workflows') });
    const running = worker.run();
    return new RawEngine(o.client, taskQueue, connection, running, worker);
  }

  async stop(): Promise<void> {
    this.worker.shutdown();
    await this.running;
    await this.connection.close();
  }

  startOne(): Promise<WorkflowHandle<typeof rawDecisionWorkflow>> {
    return this.client.workflow.start(rawDecisionWorkflow, { taskQueue: this.taskQueue, workflowId: `bench-raw-${randomUUID()}` });
  }

  /**
   * Closed loop at the lifecycle's concurrency: start (timed), Update (timed), await the result;
   * after min(50, iterations) iterations to warm up.
   */
  async closedLoop(iterations: number, concurrency: number): Promise<RawResult> {
    const starts: number[] = [];
    const updates: number[] = [];
    const one = async () => {
      const handle = await timed(starts, () => this.startOne());
      await timed(updates, () => handle.executeUpdate(decide, { args: ['APPROVE'] }));
      await handle.result();
    };
    const warmup = Math.min(50, iterations);
    await closedLoop(warmup, concurrency, one);
    starts.length = 0;
    updates.length = 0;
    const from = Date.now();
    const load = await closedLoop(iterations, concurrency, one);
    return { load, warmup, start: summarize(starts), update: summarize(updates), window: { from, to: Date.now() } };
  }

  /**
   * Open loop: `count` workflows are started first (at `concurrency`), then their Updates are sent
   * at `rate` per second by the clock, each timed from its scheduled send time.
   */
  async openLoopUpdates(count: number, rate: number, concurrency: number): Promise<OpenLoopResult> {
    const handles = await mapLimit(count, concurrency, () => this.startOne());
    const result = await openLoop(count, rate, async (i) => {
      await handles[i].executeUpdate(decide, { args: ['APPROVE'] });
    });
    await mapLimit(count, concurrency, (i) => handles[i].result());
    return result;
  }
}
