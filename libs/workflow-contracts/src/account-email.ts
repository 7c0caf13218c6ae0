import { defineQuery } from '@temporalio/workflow';

export const ACCOUNT_EMAIL_WORKFLOW = 'accountEmailWorkflow';

/** One workflow per account email, named by its ledger key (e.g. `account-email-password-reset/<tokenId>`). */
export function accountEmailWorkflowId(idempotencyKey: string): string {
  return `account-email-${idempotencyKey}`;
}

/**
 * Only the email ledger's key: the email itself, with any single-use link in it, was recorded by
 * the notifications service before the workflow started, so no token ever enters the history.
 */
export interface AccountEmailWorkflowInput {
  idempotencyKey: string;
  taskQueues: { notifications: string };
}

export interface AccountEmailState {
  status: 'SENDING' | 'SENT';
  messageId: string | null;
}

export const accountEmailStatusQuery = defineQuery<AccountEmailState>('status');
