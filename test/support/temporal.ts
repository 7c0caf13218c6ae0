import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { NotificationInput } from '@am/workflow-contracts';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { REPO_ROOT } from '@am/devstack';
import { testStack } from '../setup/stack';

/** A Temporal client on the run's dev server, as an operator (or the Temporal UI) would use it. */
export async function temporalClient(): Promise<{ client: Client; close: () => Promise<void> }> {
  const { temporalAddress, temporalNamespace } = testStack();
  const connection = await Connection.connect({ address: temporalAddress });
  return { client: new Client({ connection, namespace: temporalNamespace }), close: () => connection.close() };
}

/**
 * With RECORD_HISTORIES=1, writes the finished workflow's history to
 * services/access-workflows/test/histories/<name>.json for the replay test (docs/WORKFLOW-VERSIONING.md).
 */
export async function recordHistoryIfAsked(client: Client, workflowId: string, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const handle = client.workflow.getHandle(workflowId);
  await handle.result();
  writeFileSync(join(REPO_ROOT, 'services/access-workflows/test/histories', `${name}.json`), historyToJSON(await handle.fetchHistory()));
}

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

/** Names of the activities a workflow scheduled, in order, read from its history. */
export async function scheduledActivities(client: Client, workflowId: string): Promise<string[]> {
  return activityNames(await client.workflow.getHandle(workflowId).fetchHistory());
}

export function activityNames(history: History): string[] {
  return (history.events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name ?? ''] : []));
}

/**
 * The notices a workflow sent, in the order it scheduled them, whether one activity carried one
 * notice (sendNotification) or several (sendNotifications).
 */
export async function scheduledNotices(client: Client, workflowId: string): Promise<NotificationInput[]> {
  return noticesIn(await client.workflow.getHandle(workflowId).fetchHistory());
}

export function noticesIn(history: History): NotificationInput[] {
  return (history.events ?? []).flatMap((e) => {
    const a = e.activityTaskScheduledEventAttributes;
    const payload = a?.input?.payloads?.[0];
    if (!payload) return [];
    if (a.activityType?.name === 'sendNotification') return [defaultPayloadConverter.fromPayload<NotificationInput>(payload as never)];
    if (a.activityType?.name === 'sendNotifications') return defaultPayloadConverter.fromPayload<NotificationInput[]>(payload as never);
    return [];
  });
}
