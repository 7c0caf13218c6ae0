import { setHandler } from '@temporalio/workflow';
import { accountEmailStatusQuery, type AccountEmailState, type AccountEmailWorkflowInput } from '@am/workflow-contracts';
import { notificationActivities } from './activities';

/**
 * Delivers one account email (issue 10: email verification, password reset, user id reminder, the
 * help desk's notices) that the notifications service recorded in its ledger: a mail server that
 * is down delays it, never loses it. The input is the ledger key only, so a reset or verification
 * token never enters this history, where operators could read it.
 */
export async function accountEmailWorkflow(input: AccountEmailWorkflowInput): Promise<AccountEmailState> {
  const notifications = notificationActivities(input.taskQueues.notifications);
  const state: AccountEmailState = { status: 'SENDING', messageId: null };
  setHandler(accountEmailStatusQuery, () => state);
  const sent = await notifications.sendRecordedEmail({ idempotencyKey: input.idempotencyKey });
  state.status = 'SENT';
  state.messageId = sent.messageId;
  return state;
}
