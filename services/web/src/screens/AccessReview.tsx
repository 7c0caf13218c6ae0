import { useEffect, useRef, useState } from 'react';
import type { AccessReviewCampaignDetailView, AccessReviewDecision, AccessReviewItemView, AccessReviewLookupView, AccessReviewView } from '@am/contracts';
import { api, ApiError } from '../api/client';
import { isHelpDesk, useAuth } from '../auth';
import { REVIEW_STATUS_LABEL, reviewedInWords, unreviewedPolicyInWords } from '../components/AccessReviews';
import { Dialog } from '../components/Dialog';
import { ErrorNote, messageOf } from '../components/ErrorNote';
import { Pager } from '../components/Pager';
import { dateTime, identifierOf, plural, ROLE_LABEL } from '../format';
import { Link } from '../router';

const PAGE_SIZE = 25;
/** While a REMOVE's removal runs, the review is read again this often, until none is pending. */
const REMOVAL_POLL_MS = 2000;

/**
 * `/access-reviews/<id>` (the link in the reviewers' emails): an organization's review, where its
 * Security Officials keep or remove each connected user; or, for the help desk, a campaign with the
 * completion of each organization's review.
 */
export function AccessReview({ id }: { id: string }) {
  const [view, setView] = useState<AccessReviewLookupView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [version, setVersion] = useState(0);
  // What a removal that ran since the last reading came to, read out (polite): focus stays where it is.
  const [news, setNews] = useState('');
  const last = useRef<AccessReviewLookupView | null>(null);
  const show = (v: AccessReviewLookupView) => {
    const said = removalNews(last.current, v);
    last.current = v;
    setView(v);
    if (said) setNews(said);
  };

  useEffect(() => {
    let live = true;
    api.accessReview(id, { page, pageSize: PAGE_SIZE }).then(
      (v) => {
        if (!live) return;
        show(v);
        setError(null);
      },
      (err: unknown) => live && setError(messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [id, page, version]);

  // A REMOVE runs through the removal workflow: its row says "Removing…" until the review says how it ended.
  const removing = view?.kind === 'review' && view.items.some((i) => i.removal?.status === 'PENDING');
  useEffect(() => {
    if (!removing) return;
    const t = window.setTimeout(() => setVersion((v) => v + 1), REMOVAL_POLL_MS);
    return () => window.clearTimeout(t);
  }, [removing, view]);

  if (!view) {
    return (
      <>
        <p className="breadcrumb">
          <Link to="/manage-access">Manage Access</Link>
        </p>
        <h1>Access review</h1>
        {error ? (
          <>
            <ErrorNote error={error} />
            <p>
              <Link to="/manage-access">Go to Manage Access</Link>
            </p>
          </>
        ) : (
          <p aria-busy="true">Loading…</p>
        )}
      </>
    );
  }
  if (view.kind === 'campaign') return <Campaign campaign={view} page={page} onPage={setPage} error={error} />;
  return <Review review={view} news={news} onReview={(r) => show({ kind: 'review', ...r })} reload={() => setVersion((v) => v + 1)} />;
}

/** "Lee Leaver’s access is removed.": the removals that were running before and have ended now. */
function removalNews(before: AccessReviewLookupView | null, now: AccessReviewLookupView): string {
  if (before?.kind !== 'review' || now.kind !== 'review' || before.id !== now.id) return '';
  const running = new Set(before.items.filter((i) => i.removal?.status === 'PENDING').map((i) => i.user.id));
  return now.items
    .filter((i) => running.has(i.user.id) && i.removal && i.removal.status !== 'PENDING')
    .map((i) =>
      i.removal!.status === 'REMOVED'
        ? `${i.user.displayName}’s access is removed.`
        : `Removing ${i.user.displayName} was refused${i.removal!.refusal ? `: ${i.removal!.refusal}` : ''}. The access stays.`,
    )
    .join(' ');
}

type Choice = AccessReviewDecision | '';
interface Outcome {
  recorded: number;
  refused: { userId: string; name: string; message: string }[];
}

function Review({ review, news, onReview, reload }: { review: AccessReviewView; news: string; onReview: (r: AccessReviewView) => void; reload: () => void }) {
  const { user } = useAuth();
  const helpDesk = isHelpDesk(user);
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [refusals, setRefusals] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const outcomeRef = useRef<HTMLHeadingElement>(null);
  const [outcomeKey, setOutcomeKey] = useState(0);

  // After submitting, focus moves to what happened, so it is read out before anything else.
  useEffect(() => {
    if (outcomeKey > 0) outcomeRef.current?.focus();
  }, [outcomeKey]);

  const open = review.status === 'OPEN';
  const undecided = review.items.filter((i) => i.decision === null);
  const chosen = undecided.filter((i) => choices[i.user.id]).map((i) => ({ item: i, decision: choices[i.user.id] as AccessReviewDecision }));
  const removals = chosen.filter((c) => c.decision === 'REMOVE');
  const keeps = chosen.length - removals.length;
  const unchosen = undecided.filter((i) => !choices[i.user.id]);
  const c = review.counts;

  const choose = (userId: string, choice: Choice) => setChoices((cs) => ({ ...cs, [userId]: choice }));
  const keepAll = () => {
    setChoices((cs) => {
      const next = { ...cs };
      unchosen.forEach((i) => (next[i.user.id] = 'KEEP'));
      return next;
    });
    setStatus(`${plural(unchosen.length, 'user')} set to Keep. Submit decisions to record them.`);
  };

  const submit = () => {
    setError(null);
    if (chosen.length === 0) return setError('Choose Keep or Remove for at least one user, then submit.');
    if (removals.length > 0) return setConfirming(true);
    void send();
  };

  const send = async () => {
    setBusy(true);
    setError(null);
    const names = new Map(review.items.map((i) => [i.user.id, i.user.displayName]));
    try {
      const answer = await api.decideAccessReview(
        review.id,
        chosen.map((x) => ({ userId: x.item.user.id, decision: x.decision })),
      );
      const refused = answer.results.filter((r) => r.status === 'REFUSED');
      const recordedIds = answer.results.filter((r) => r.status === 'RECORDED').map((r) => r.userId);
      setRefusals(Object.fromEntries(refused.map((r) => [r.userId, r.error?.message ?? 'Not recorded.'])));
      // Recorded choices are the review's now; a refused one stays chosen beside its reason, to change.
      setChoices((cs) => {
        const next = { ...cs };
        recordedIds.forEach((id) => delete next[id]);
        return next;
      });
      setOutcome({ recorded: recordedIds.length, refused: refused.map((r) => ({ userId: r.userId, name: names.get(r.userId) ?? r.userId, message: r.error?.message ?? 'Not recorded.' })) });
      setStatus('');
      setOutcomeKey((k) => k + 1);
      setConfirming(false);
      onReview(answer.review);
    } catch (err) {
      // 409 ACCESS_REVIEW_CLOSED after the due date: the review is read again, read-only.
      setConfirming(false);
      setError(messageOf(err));
      if (err instanceof ApiError && err.status === 409) reload();
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p className="breadcrumb">
        {helpDesk ? <Link to={`/access-reviews/${review.campaignId}`}>Access review campaign</Link> : <Link to="/manage-access">Manage Access</Link>} / Access
        review
      </p>
      <h1>Access review: {review.organization.name}</h1>
      <section className="card" aria-labelledby="review-facts-heading" data-testid="access-review">
        <h2 id="review-facts-heading">{open ? `Review by ${dateTime(review.dueAt)}` : `Closed ${review.completedAt ? dateTime(review.completedAt) : dateTime(review.dueAt)}`}</h2>
        <dl className="denial-facts">
          <dt>Organization</dt>
          <dd>
            {review.organization.name} ({identifierOf(review.organization)})
          </dd>
          <dt>Due</dt>
          <dd>{dateTime(review.dueAt)}</dd>
          <dt>Status</dt>
          <dd>{REVIEW_STATUS_LABEL[review.status]}</dd>
        </dl>
        <p className="info-note" data-testid="unreviewed-policy">
          {unreviewedPolicyInWords(review.unreviewedPolicy, review.dueAt, !open)}
        </p>
        {open && (
          <p>
            For each person connected to {review.organization.name}, choose Keep if they should still have their access, or Remove if they should not, then
            submit your decisions. A removal follows the usual rules: nobody removes themselves, and the organization keeps at least one Security Official.
          </p>
        )}
      </section>

      <section className="section" aria-labelledby="review-progress-heading">
        <h2 id="review-progress-heading">Progress: {reviewedInWords(c)}</h2>
        <ul className="review-counts" data-testid="review-counts">
          <li>
            <span className="label">Kept</span> {c.kept}
          </li>
          <li>
            <span className="label">Removed</span> {c.removed}
          </li>
          {c.removing > 0 && (
            <li>
              <span className="label">Removing</span> {c.removing}
            </li>
          )}
          <li>
            <span className="label">Removal refused</span> {c.refused}
          </li>
          <li>
            <span className="label">Undecided</span> {c.undecided}
          </li>
        </ul>
        {!open && (
          <p data-testid="review-summary">
            {completedSummary(review)}
          </p>
        )}
      </section>

      {outcome && (
        <section className={outcome.refused.length ? 'decision-failures' : 'card success-panel'} aria-labelledby="review-outcome-heading" data-testid="review-outcome">
          <h2 id="review-outcome-heading" tabIndex={-1} ref={outcomeRef}>
            {outcomeInWords(outcome)}
          </h2>
          {outcome.refused.length > 0 && (
            <ul>
              {outcome.refused.map((r) => (
                <li key={r.userId} data-testid="review-refusal">
                  <strong>{r.name}</strong>: {r.message}
                </li>
              ))}
            </ul>
          )}
          <button type="button" className="link-button" onClick={() => setOutcome(null)}>
            Dismiss<span className="sr-only"> these results</span>
          </button>
        </section>
      )}

      <section className="section" aria-labelledby="review-users-heading">
        <h2 id="review-users-heading">Users ({c.total})</h2>
        <ErrorNote error={error} />
        {review.items.length === 0 ? (
          <p className="empty">Nobody is connected to {review.organization.name}: there is nobody to review.</p>
        ) : (
          <>
            {open && undecided.length > 0 && (
              <div className="bulk-actions">
                <p>
                  <span className="bulk-count" id="review-chosen">
                    {chosen.length === 0 ? 'No decisions chosen yet' : `${plural(chosen.length, 'decision')} chosen: ${keeps} keep, ${removals.length} remove`}
                  </span>
                  {unchosen.length > 0 && <span className="muted"> · {plural(unchosen.length, 'user')} without a choice</span>}
                </p>
                <button type="button" className="secondary small" disabled={unchosen.length === 0} onClick={keepAll}>
                  Keep all undecided
                </button>
              </div>
            )}
            <div className="table-wrap">
              <table className="review-table">
                <caption className="sr-only">
                  Users under review at {review.organization.name}: {reviewedInWords(c)}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">User</th>
                    <th scope="col">Role</th>
                    <th scope="col">Decision</th>
                  </tr>
                </thead>
                <tbody>
                  {review.items.map((i) => (
                    <ItemRow
                      key={i.user.id}
                      item={i}
                      self={i.user.id === user.id}
                      open={open}
                      choice={choices[i.user.id] ?? ''}
                      refusal={refusals[i.user.id]}
                      onChoose={(choice) => choose(i.user.id, choice)}
                    />
                  ))}
                </tbody>
              </table>
            </div>
            {open && undecided.length > 0 && (
              <div className="actions review-submit">
                <button type="button" className="primary" disabled={busy} aria-describedby="review-chosen" onClick={submit}>
                  Submit decisions
                </button>
              </div>
            )}
          </>
        )}
        <p className="sr-only" role="status">
          {status}
        </p>
        <p className="sr-only" role="status" data-testid="removal-news">
          {news}
        </p>
      </section>

      {confirming && (
        <Dialog title={removals.length === 1 ? 'Remove 1 user’s access?' : `Remove ${removals.length} users’ access?`} onClose={() => setConfirming(false)}>
          <p>
            {removals.length === 1 ? 'This person' : 'These people'} will no longer have access to {review.organization.name}, and will be told by email:
          </p>
          <ul data-testid="confirm-removals">
            {removals.map((r) => (
              <li key={r.item.user.id}>
                {r.item.user.displayName} ({ROLE_LABEL[r.item.role]})
              </li>
            ))}
          </ul>
          {keeps > 0 && <p>{plural(keeps, 'user')} will keep their access.</p>}
          <div className="actions">
            <button type="button" className="danger" disabled={busy} onClick={() => void send()}>
              Yes, Submit Decisions
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              No, Cancel Action
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

function outcomeInWords(o: Outcome): string {
  if (o.recorded === 0) return `${plural(o.refused.length, 'decision')} could not be recorded`;
  const recorded = `${plural(o.recorded, 'decision')} recorded`;
  return o.refused.length ? `${recorded}, ${o.refused.length} could not be recorded` : `${recorded}.`;
}

function completedSummary(r: AccessReviewView): string {
  const c = r.counts;
  const byPolicy = r.items.filter((i) => i.decidedByPolicy).length;
  const parts = [`${c.kept} kept`, `${c.removed} removed`];
  if (c.refused) parts.push(`${c.refused} removal${c.refused === 1 ? '' : 's'} refused (the access stays)`);
  const policy = byPolicy ? ` ${plural(byPolicy, 'user')} nobody reviewed ${r.unreviewedPolicy === 'remove' ? 'lost' : 'kept'} their access by the review’s policy.` : '';
  return `This review closed${r.completedAt ? ` on ${dateTime(r.completedAt)}` : ''}: ${parts.join(', ')} of ${plural(c.total, 'user')}.${policy}`;
}

const CHOICES: { value: Choice; label: string }[] = [
  { value: 'KEEP', label: 'Keep' },
  { value: 'REMOVE', label: 'Remove' },
  { value: '', label: 'Decide later' },
];

function ItemRow({
  item,
  self,
  open,
  choice,
  refusal,
  onChoose,
}: {
  item: AccessReviewItemView;
  self: boolean;
  open: boolean;
  choice: Choice;
  refusal: string | undefined;
  onChoose: (c: Choice) => void;
}) {
  const name = `${item.user.displayName}${self ? ' (You)' : ''}`;
  const refusalId = `refusal-${item.user.id}`;
  return (
    <tr data-testid="review-item" data-user-id={item.user.id} className={refusal ? 'refused-row' : undefined}>
      <th scope="row">
        {name}
        <span className="muted block">{item.user.email}</span>
      </th>
      <td>{ROLE_LABEL[item.role]}</td>
      <td>
        {item.decision === null && open ? (
          <fieldset className="decision-choice" aria-describedby={refusal ? refusalId : undefined}>
            <legend className="sr-only">Decision for {item.user.displayName}</legend>
            {CHOICES.map((c) => (
              <label key={c.value || 'later'} className="choice">
                <input type="radio" name={`decision-${item.user.id}`} value={c.value} checked={choice === c.value} onChange={() => onChoose(c.value)} />
                {c.label}
              </label>
            ))}
          </fieldset>
        ) : (
          <DecisionState item={item} />
        )}
        {refusal && (
          <p id={refusalId} className="field-error" data-testid="item-refusal">
            Not recorded: {refusal}
          </p>
        )}
      </td>
    </tr>
  );
}

/** A decided item: what, by whom, when; a REMOVE's removal as it stands. */
function DecisionState({ item }: { item: AccessReviewItemView }) {
  if (item.decision === null) return <span className="muted">Not reviewed</span>;
  const by = item.decidedByPolicy ? 'by the review’s policy' : item.decidedBy ? `by ${item.decidedBy.displayName}` : '';
  const at = item.decidedAt ? ` on ${dateTime(item.decidedAt)}` : '';
  return (
    <div className="decision-state" data-testid="item-decision" data-decision={item.decision}>
      <strong>{item.decision === 'KEEP' ? 'Keep' : 'Remove'}</strong>{' '}
      <span className="muted">
        {by}
        {at}
      </span>
      {item.removal && <RemovalState removal={item.removal} />}
    </div>
  );
}

function RemovalState({ removal }: { removal: NonNullable<AccessReviewItemView['removal']> }) {
  switch (removal.status) {
    case 'PENDING':
      return (
        <span className="block removal-state" data-testid="removal-state" data-status="PENDING">
          Removing…
        </span>
      );
    case 'REMOVED':
      return (
        <span className="block removal-state success-line" data-testid="removal-state" data-status="REMOVED">
          Removed
        </span>
      );
    default:
      return (
        <span className="block removal-state field-error" data-testid="removal-state" data-status="REFUSED">
          Removal refused{removal.refusal ? `: ${removal.refusal}` : ''}. The access stays.
        </span>
      );
  }
}

/** A campaign (help desk): who started it, when it is due, and each organization's review, a page at a time. */
function Campaign({ campaign, page, onPage, error }: { campaign: AccessReviewCampaignDetailView; page: number; onPage: (p: number) => void; error: string | null }) {
  const orgs = campaign.organizations;
  const pages = Math.max(1, Math.ceil(orgs.total / orgs.pageSize));
  const scope = campaign.organization ? campaign.organization.name : 'All organizations';
  return (
    <>
      <p className="breadcrumb">
        <Link to="/access-reviews">Access reviews</Link> / Campaign
      </p>
      <h1>Access review campaign: {scope}</h1>
      <ErrorNote error={error} />
      <section className="card" aria-labelledby="campaign-facts-heading" data-testid="access-review-campaign">
        <h2 id="campaign-facts-heading">Due {dateTime(campaign.dueAt)}</h2>
        <dl className="denial-facts">
          <dt>Organizations</dt>
          <dd>{campaign.organization ? `${campaign.organization.name} (${identifierOf(campaign.organization)})` : 'All organizations'}</dd>
          <dt>Started by</dt>
          <dd>{campaign.startedBy ? campaign.startedBy.displayName : 'Yearly schedule'}</dd>
          <dt>Started on</dt>
          <dd>{dateTime(campaign.createdAt)}</dd>
          <dt>Status</dt>
          <dd>{REVIEW_STATUS_LABEL[campaign.status]}</dd>
          <dt>Reviews completed</dt>
          <dd>
            {campaign.reviews.completed} of {campaign.reviews.total}
          </dd>
          <dt>Users reviewed</dt>
          <dd>
            {campaign.items.decided} of {campaign.items.total}
          </dd>
        </dl>
      </section>
      <section className="section" aria-labelledby="campaign-orgs-heading">
        <h2 id="campaign-orgs-heading">Organizations ({orgs.total})</h2>
        {orgs.items.length === 0 ? (
          <p className="empty">No organization is under review in this campaign.</p>
        ) : (
          <div className="table-wrap">
            <table className="coverage-table">
              <caption className="sr-only">
                Reviews of this campaign, page {orgs.page} of {pages}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Organization</th>
                  <th scope="col">Status</th>
                  <th scope="col">Reviewed</th>
                  <th scope="col">Kept</th>
                  <th scope="col">Removed</th>
                  <th scope="col">Removal refused</th>
                  <th scope="col">Undecided</th>
                </tr>
              </thead>
              <tbody>
                {orgs.items.map((r) => (
                  <tr key={r.id} data-testid="campaign-review">
                    <th scope="row">
                      <Link to={`/access-reviews/${r.id}`}>{r.organization.name}</Link>
                      <span className="muted block">{identifierOf(r.organization)}</span>
                    </th>
                    <td>{REVIEW_STATUS_LABEL[r.status]}</td>
                    <td>
                      {r.counts.total - r.counts.undecided} of {r.counts.total}
                    </td>
                    <td>{r.counts.kept}</td>
                    <td>{r.counts.removed}</td>
                    <td>{r.counts.refused}</td>
                    <td>{r.counts.undecided}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager label="Campaign organizations pages" page={page} pages={pages} onPage={onPage} />
      </section>
    </>
  );
}
