import { condition, setHandler, upsertMemo, workflowInfo } from '@temporalio/workflow';
import {
  domainErrorIn,
  removalStatusQuery,
  removeAccessUpdate,
  type AccessRemovalState,
  type AccessRemovalWorkflowInput,
} from '@am/workflow-contracts';
import { serviceActivities } from './activities';

/**
 * A Security Official (or the help desk) removes a user's access (PRODUCT.md rules 9-10): the
 * directory removes the role and audits it in one transaction (race-safe there), the caller is
 * answered through the `remove` Update, then the removed user is emailed, durably: a mail server
 * that is down delays the email, never loses it. A refusal (self-removal, the only Security
 * Official, an ACO) fails the Update with the directory's reason and ends the workflow quietly.
 */
export async function accessRemovalWorkflow(input: AccessRemovalWorkflowInput): Promise<AccessRemovalState> {
  const { directory, notifications } = serviceActivities(input.taskQueues);

  const state: AccessRemovalState = { status: 'PENDING', record: null, refusal: null, removedUserNotified: false };
  setHandler(removalStatusQuery, () => state);
  const remove = async () => {
    try {
      // The removal's id (the workflow id in older histories) is the directory's retry key: a retried activity returns what was recorded.
      // The directory verifies the caller proof as of the workflow's start, when the removal was asked for (issue 14).
      state.record = await directory.removeAccess({
        ...input.command,
        removalId: input.command.removalId ?? workflowInfo().workflowId,
        acceptedAt: workflowInfo().startTime.toISOString(),
        ...(input.accessReview ? { accessReview: input.accessReview } : {}),
      });
      state.status = 'REMOVED';
      return state.record;
    } catch (err) {
      state.status = 'REFUSED';
      const refusal = domainErrorIn(err);
      state.refusal = refusal ? { code: refusal.code, message: refusal.message } : { code: 'UNKNOWN', message: String(err) };
      throw err;
    }
  };
  setHandler(removeAccessUpdate, remove);

  // A removal an access review decided (issue 18) runs at once: its parent waits for the outcome.
  if (input.accessReview) await remove().catch(() => undefined);
  await condition(() => state.status !== 'PENDING');
  const record = state.record;
  if (record) {
    upsertMemo({ organization: record.organization.name, user: record.user.displayName, removedBy: record.removedBy.displayName });
    await notifications.sendNotification({
      idempotencyKey: `${workflowInfo().workflowId}/removed-user`,
      to: { userId: record.user.id, email: record.user.email, displayName: record.user.displayName },
      template: 'access-removed',
      data: { organizationName: record.organization.name, role: record.role, removedByName: record.removedBy.displayName },
    });
    state.removedUserNotified = true;
  }
  return state;
}
