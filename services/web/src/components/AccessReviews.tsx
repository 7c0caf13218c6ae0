import { useId } from 'react';
import type { AccessReviewCounts, AccessReviewStatus, AccessReviewSummaryView, AccessReviewUnreviewedPolicy } from '@am/contracts';
import { dateTime, identifierOf, plural } from '../format';
import { Link } from '../router';

/** A review's or campaign's status in words. */
export const REVIEW_STATUS_LABEL: Record<AccessReviewStatus, string> = { OPEN: 'Open', COMPLETED: 'Completed' };

/** What the due date does to the users nobody reviewed, in plain words (ACCESS_REVIEW_UNREVIEWED). */
export function unreviewedPolicyInWords(policy: AccessReviewUnreviewedPolicy, dueAt: string, completed = false): string {
  const by = dateTime(dueAt);
  if (completed) {
    return policy === 'remove' ? `Users nobody reviewed by ${by} lost their access.` : `Users nobody reviewed by ${by} kept their access.`;
  }
  return policy === 'remove' ? `Users nobody reviews by ${by} lose their access.` : `Users nobody reviews by ${by} keep their access.`;
}

/** "3 of 5 users reviewed": how far a review has come. */
export const reviewedInWords = (c: AccessReviewCounts) => `${c.total - c.undecided} of ${plural(c.total, 'user')} reviewed`;

/**
 * "Access reviews due" on Manage Access: the caller's open reviews (as a Security Official; for the
 * help desk, those of organizations with no Security Official), each with its due date, how many
 * users wait, and a link to the review.
 */
export function AccessReviewsDue({ reviews, helpDesk = false }: { reviews: AccessReviewSummaryView[]; helpDesk?: boolean }) {
  if (reviews.length === 0) return null;
  return (
    <section aria-labelledby="access-reviews-due-heading" className="section review-due" data-testid="access-reviews-due">
      <h2 id="access-reviews-due-heading">Access reviews due ({reviews.length})</h2>
      <p>
        {helpDesk
          ? 'These organizations have no Security Official, so the help desk reviews them: confirm before the due date that each person connected to them should keep their access, or remove it.'
          : 'Confirm before the due date that each person connected to your organization should keep their access, or remove it.'}
      </p>
      <ul className="request-list">
        {reviews.map((r) => (
          <DueRow key={r.id} r={r} />
        ))}
      </ul>
    </section>
  );
}

function DueRow({ r }: { r: AccessReviewSummaryView }) {
  const whatId = useId();
  return (
    <li className="request-row" data-testid="access-review-due" data-review-id={r.id}>
      <div className="who" id={whatId}>
        <strong>{r.organization.name}</strong>
        <span className="muted">{identifierOf(r.organization)}</span>
      </div>
      <div className="role">
        <span className="label">Due</span> {dateTime(r.dueAt)}
      </div>
      <div className="status">
        <p>{r.counts.undecided === 0 ? 'Every user is reviewed' : `${plural(r.counts.undecided, 'user')} ${r.counts.undecided === 1 ? 'waits' : 'wait'} for review`}</p>
        <Link to={`/access-reviews/${r.id}`} aria-describedby={whatId}>
          Review users
        </Link>
      </div>
    </li>
  );
}
