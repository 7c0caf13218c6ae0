import { continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { emailDigestKey, emailDigestStatusQuery, type DueDigest, type EmailDigestRunState, type EmailDigestWorkflowInput } from '@am/workflow-contracts';
import { serviceActivities } from './activities';

/** Users checked per directory page; their digests go out side by side. */
const PAGE = 50;

/**
 * One run of the daily digest schedule (issue 19): every user whose digest is due at the run's
 * start gets it, once. Whose digest is due, and what it lists, is the directory's to compute (time
 * zones in activities, never here); the email goes through the notifications activity under
 * `email-digest/<userId>/<localDate>`, retried through a mail outage, and only then is the digest
 * marked sent. A run that dies is caught up by the next (the user is still due); one that sent but
 * did not mark finds the email sent under its key and sends nothing more.
 */
export async function emailDigestWorkflow(input: EmailDigestWorkflowInput): Promise<EmailDigestRunState> {
  const { directory, notifications } = serviceActivities(input.taskQueues);
  const state: EmailDigestRunState = input.state ?? { asOf: new Date().toISOString(), sent: 0, empty: 0 };
  setHandler(emailDigestStatusQuery, () => state);

  const deliver = async ({ userId, localDate }: DueDigest) => {
    const digest = await directory.emailDigestContent({ userId, localDate });
    if (digest.total > 0) {
      await notifications.sendNotification({
        idempotencyKey: emailDigestKey(userId, localDate),
        // No userId: the in-app notices of these requests went out one by one already; the digest is email only.
        to: { email: digest.to.email, displayName: digest.to.displayName },
        template: 'email-digest',
        data: { localDate, total: digest.total, organizations: digest.organizations },
      });
      state.sent += 1;
    } else {
      state.empty += 1;
    }
    await directory.markEmailDigestSent({ userId, localDate });
  };

  let after = input.after;
  do {
    const page = await directory.dueEmailDigests({ asOf: state.asOf, after, limit: PAGE });
    await Promise.all(page.due.map(deliver));
    after = page.next;
    // A long list of subscribers: carry on in a fresh history, where this page left off.
    if (after && workflowInfo().continueAsNewSuggested) await continueAsNew<typeof emailDigestWorkflow>({ ...input, after, state });
  } while (after);
  return state;
}
