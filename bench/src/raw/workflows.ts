// The raw baseline: the least a request can be on this engine. It starts, waits for one Update,
// and completes; no activities, no timers, no search-attribute changes.
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const decide = defineUpdate<string, [string]>('decide');

export async function rawDecisionWorkflow(): Promise<string> {
  let decision: string | undefined;
  setHandler(decide, (d) => {
    decision = d;
    return d;
  });
  await condition(() => decision !== undefined);
  return decision as string;
}
