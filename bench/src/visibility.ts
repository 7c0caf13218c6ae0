import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { ScaleData } from './manage-access';
import { closedLoop, summarize, type Summary } from './stats';

const PAGE_SIZE = 50;
const ORGANIZATION_ID = defineSearchAttributeKey('OrganizationId', SearchAttributeType.KEYWORD);
const REQUESTER_ID = defineSearchAttributeKey('RequesterId', SearchAttributeType.KEYWORD);
const REQUESTED_ROLE = defineSearchAttributeKey('RequestedRole', SearchAttributeType.KEYWORD);
const REQUEST_STATUS = defineSearchAttributeKey('RequestStatus', SearchAttributeType.KEYWORD);

export interface VisibilityResult {
  workflows: number;
  startSeconds: number;
  awaiting: number;
  latency: Summary;
}

/**
 * The question Manage Access answers from PostgreSQL ("the first page of requests awaiting my
 * decision, and how many there are"), answered from Temporal visibility instead. `executions` of
 * the scale data set's pending requests (every one awaiting the official among them) get a
 * role-request workflow execution with the search attributes the real ones carry, on a task queue no worker polls (so it stays Running, as a pending request's
 * workflow does); then the first page is listed and the total counted over the official's 50
 * organizations, `samples` times in sequence after a warm-up.
 */
export async function measureVisibility(client: Client, data: ScaleData, o: { executions: number; samples: number; concurrency: number }): Promise<VisibilityResult> {
  const taskQueue = `bench-visibility-${process.pid}`;
  // Every request awaiting the official, and as many others as `executions` allows.
  const mine = new Set(data.officialOrganizationIds);
  const chosen = [...data.pending.filter((r) => mine.has(r.organizationId)), ...data.pending.filter((r) => !mine.has(r.organizationId))].slice(0, o.executions);
  const t = performance.now();
  await closedLoop(chosen.length, o.concurrency, async (i) => {
    const r = chosen[i];
    await client.workflow.start('roleRequestWorkflow', {
      taskQueue,
      workflowId: `bench-visibility-${r.id}`,
      args: [{ requestId: r.id }],
      typedSearchAttributes: [
        { key: ORGANIZATION_ID, value: r.organizationId },
        { key: REQUESTER_ID, value: r.requesterId },
        { key: REQUESTED_ROLE, value: r.role },
        { key: REQUEST_STATUS, value: 'PENDING' },
      ],
    });
  });
  const startSeconds = (performance.now() - t) / 1000;
  const orgs = data.officialOrganizationIds.map((id) => `'${id}'`).join(', ');
  const query = `WorkflowType = 'roleRequestWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue}' AND RequestStatus = 'PENDING' AND OrganizationId IN (${orgs})`;
  const ask = async () => {
    const page: string[] = [];
    const [{ count }] = await Promise.all([
      client.workflow.count(query),
      (async () => {
        for await (const wf of client.workflow.list({ query, pageSize: PAGE_SIZE })) {
          page.push(wf.workflowId);
          if (page.length === PAGE_SIZE) break;
        }
      })(),
    ]);
    return count;
  };
  const awaiting = await ask();
  for (let i = 0; i < 20; i++) await ask();
  const times: number[] = [];
  for (let i = 0; i < o.samples; i++) {
    const s = performance.now();
    await ask();
    times.push(performance.now() - s);
  }
  return { workflows: chosen.length, startSeconds, awaiting, latency: summarize(times) };
}
