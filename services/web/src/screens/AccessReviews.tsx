import { useEffect, useState, type FormEvent } from 'react';
import { ACCESS_REVIEW_DUE_MAX_MS, type AccessReviewCampaignView, type Page } from '@am/contracts';
import { api, ApiError } from '../api/client';
import { REVIEW_STATUS_LABEL } from '../components/AccessReviews';
import { Dialog } from '../components/Dialog';
import { ErrorSummary, TextField, useFormErrors, type FieldErrors } from '../components/Form';
import { messageOf } from '../components/ErrorNote';
import { OrganizationSearchField, useOrganizationSearch } from '../components/OrganizationSearch';
import { Pager } from '../components/Pager';
import { useToast } from '../components/Toasts';
import { dateTime } from '../format';
import { Link, useRouter } from '../router';

const PAGE_SIZE = 20;
const FIELDS = { organizationId: 'campaign-org-search', dueAt: 'campaign-due' };

/** yyyy-mm-dd of a day in the browser's time zone (what <input type="date"> speaks). */
const dayOf = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
/** The end of that day (11:59:59 PM) in the browser's time zone: a review is due by the end of its due date. */
const endOfDay = (day: string) => new Date(`${day}T23:59:59`);

/**
 * The help desk's access reviews: start a campaign (for every organization, or one), and the
 * campaigns, newest first, with how far each has come. A campaign opens its organizations' reviews.
 */
export function AccessReviews() {
  const [page, setPage] = useState(1);
  const [list, setList] = useState<Page<AccessReviewCampaignView> | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.accessReviewCampaigns({ page, pageSize: PAGE_SIZE }).then(
      (v) => {
        if (!live) return;
        setList(v);
        setError(null);
      },
      (err: unknown) => live && setError(messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [page]);

  const pages = list ? Math.max(1, Math.ceil(list.total / list.pageSize)) : 1;
  return (
    <>
      <h1>Access reviews</h1>
      <p>
        An access review asks each organization’s Security Officials to confirm, before a due date, every person connected to it: keep their access, or
        remove it. Organizations with no Security Official are reviewed by the help desk. A campaign also starts every year on its own.
      </p>
      <StartCampaign />
      <section className="section" aria-labelledby="campaigns-heading">
        <h2 id="campaigns-heading">Campaigns{list ? ` (${list.total})` : ''}</h2>
        {error && (
          <p className="error-note" role="alert">
            {error}
          </p>
        )}
        {!list ? (
          !error && <p aria-busy="true">Loading…</p>
        ) : list.items.length === 0 ? (
          <p className="empty">No campaign has been started yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="coverage-table">
              <caption className="sr-only">
                Access review campaigns, newest first, page {list.page} of {pages}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Campaign</th>
                  <th scope="col">Due</th>
                  <th scope="col">Started by</th>
                  <th scope="col">Status</th>
                  <th scope="col">Reviews completed</th>
                  <th scope="col">Users reviewed</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((c) => (
                  <tr key={c.id} data-testid="campaign-row" data-campaign-id={c.id}>
                    <th scope="row">
                      <Link to={`/access-reviews/${c.id}`}>{c.organization ? c.organization.name : 'All organizations'}</Link>
                      <span className="muted block">Started {dateTime(c.createdAt)}</span>
                    </th>
                    <td>{dateTime(c.dueAt)}</td>
                    <td>{c.startedBy ? c.startedBy.displayName : 'Yearly schedule'}</td>
                    <td>{REVIEW_STATUS_LABEL[c.status]}</td>
                    <td>
                      {c.reviews.completed} of {c.reviews.total}
                    </td>
                    <td>
                      {c.items.decided} of {c.items.total}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager label="Campaigns pages" page={page} pages={pages} onPage={setPage} />
      </section>
    </>
  );
}

type Scope = 'all' | 'one';

/** "Start a campaign": for all organizations or one found by name or identifier, due by the end of a day. */
function StartCampaign() {
  const { navigate } = useRouter();
  const toast = useToast();
  const { errors, focusKey, refuse } = useFormErrors();
  const [scope, setScope] = useState<Scope>('all');
  const orgSearch = useOrganizationSearch();
  const { results, orgId } = orgSearch;
  const [due, setDue] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirmAll, setConfirmAll] = useState(false);
  const [openReviewId, setOpenReviewId] = useState<string | null>(null);

  // The days a due date may fall on, as the page opened: today up to a year ahead.
  const [{ today, lastDay }] = useState(() => ({ today: dayOf(new Date()), lastDay: dayOf(new Date(Date.now() + ACCESS_REVIEW_DUE_MAX_MS - 86_400_000)) }));

  const search = async () => {
    setOpenReviewId(null);
    const problem = await orgSearch.find();
    refuse(problem ? { [FIELDS.organizationId]: problem } : {});
  };

  const check = (): FieldErrors => {
    const found: FieldErrors = {};
    if (scope === 'one' && !orgId) found[FIELDS.organizationId] = results?.length ? 'Choose the organization to review.' : 'Find the organization to review.';
    if (!due) found[FIELDS.dueAt] = 'Enter the due date.';
    else if (due < today) found[FIELDS.dueAt] = 'The due date must be today or later.';
    else if (due > lastDay) found[FIELDS.dueAt] = `The due date must be at most a year ahead (by ${lastDay}).`;
    return found;
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setOpenReviewId(null);
    const found = check();
    refuse(found);
    if (Object.keys(found).length > 0) return;
    if (scope === 'all') return setConfirmAll(true);
    void start();
  };

  const start = async () => {
    setBusy(true);
    try {
      const campaign = await api.startAccessReview({ organizationId: scope === 'one' ? orgId! : undefined, dueAt: endOfDay(due).toISOString() });
      setConfirmAll(false);
      toast(`Access review started for ${campaign.organization ? campaign.organization.name : 'all organizations'}, due ${dateTime(campaign.dueAt)}.`);
      navigate(`/access-reviews/${campaign.id}`);
    } catch (err) {
      setConfirmAll(false);
      setBusy(false);
      // 409 ACCESS_REVIEW_OPEN: the organization's review in progress, linked.
      if (err instanceof ApiError && err.code === 'ACCESS_REVIEW_OPEN' && typeof err.details?.reviewId === 'string') setOpenReviewId(err.details.reviewId);
      if (err instanceof ApiError && (err.field === 'dueAt' || err.field === 'organizationId')) refuse({ [FIELDS[err.field]]: err.message });
      else refuse({ '': messageOf(err) });
    }
  };

  return (
    <section className="section" aria-labelledby="start-campaign-heading">
      <h2 id="start-campaign-heading">Start a campaign</h2>
      <ErrorSummary errors={errors} focusKey={focusKey} />
      {openReviewId && (
        <p className="info-note">
          <Link to={`/access-reviews/${openReviewId}`}>Open the review in progress</Link>
        </p>
      )}
      <form onSubmit={submit} className="form" noValidate>
        <fieldset>
          <legend>Which organizations?</legend>
          <label className="choice">
            <input type="radio" name="campaign-scope" value="all" checked={scope === 'all'} onChange={() => setScope('all')} />
            All organizations
          </label>
          <label className="choice">
            <input
              type="radio"
              name="campaign-scope"
              value="one"
              checked={scope === 'one'}
              onChange={() => {
                setScope('one');
                window.setTimeout(() => document.getElementById(FIELDS.organizationId)?.focus(), 0);
              }}
            />
            One organization
          </label>
        </fieldset>
        {scope === 'one' && (
          <div className="nested-field">
            <OrganizationSearchField
              id={FIELDS.organizationId}
              radioName="campaign-organization"
              search={orgSearch}
              error={errors[FIELDS.organizationId]}
              onFind={() => void search()}
            />
          </div>
        )}
        <TextField
          id={FIELDS.dueAt}
          label="Due date"
          hint="Security Officials decide by the end of this day (11:59 PM your time), at most a year ahead."
          error={errors[FIELDS.dueAt]}
          type="date"
          required
          min={today}
          max={lastDay}
          value={due}
          onChange={(e) => setDue(e.target.value)}
        />
        <button type="submit" className="primary" disabled={busy}>
          Start campaign
        </button>
      </form>
      {confirmAll && (
        <Dialog title="Review every organization?" onClose={() => setConfirmAll(false)}>
          <p>
            The Security Officials of every organization are asked by email to review their users by {dateTime(endOfDay(due).toISOString())}. The help desk
            reviews the organizations that have none.
          </p>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void start()}>
              Yes, Start Campaign
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmAll(false)}>
              No, Cancel Action
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
