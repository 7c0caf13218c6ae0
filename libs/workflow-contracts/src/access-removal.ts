import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { RemovalRecord, RemoveAccessCommand } from '@am/contracts';

export const ACCESS_REMOVAL_WORKFLOW = 'accessRemovalWorkflow';

/** One workflow per removal (rule 9): operators find it by this id, which is also the removal's id. */
export function accessRemovalWorkflowId(removalKey: string): string {
  return `access-removal-${removalKey}`;
}

export interface AccessRemovalWorkflowInput {
  /** `removalId`: the removal's UUID (absent in histories from before issue 16, which used the workflow id). */
  command: RemoveAccessCommand;
  /** Task queues of the services whose activities the workflow calls. */
  taskQueues: { directory: string; notifications: string };
  /**
   * A removal an access review asks for (issue 18), started by the review's workflow: it runs at
   * once, without the `remove` Update. `byPolicy`: the unreviewed policy at the due date, not a person.
   */
  accessReview?: { reviewId: string; byPolicy: boolean };
}

/** What an operator sees in the status Query of a removal. */
export interface AccessRemovalState {
  status: 'PENDING' | 'REMOVED' | 'REFUSED';
  record: RemovalRecord | null;
  refusal: { code: string; message: string } | null;
  removedUserNotified: boolean;
}

/**
 * Delivered together with the start (Update-with-Start): answers once the directory has removed
 * the access, so the caller learns the outcome synchronously; the email follows durably.
 */
export const removeAccessUpdate = defineUpdate<RemovalRecord, []>('remove');
export const removalStatusQuery = defineQuery<AccessRemovalState>('status');
