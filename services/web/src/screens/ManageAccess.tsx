import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { PROGRAM_APPROVER_NAME, type AccessReviewSummaryView, type ConnectedOrganizationView, type ManageAccessView, type MyRequestView, type OrganizationKind } from '@am/contracts';
import { api, ApiError, type NominationView } from '../api/client';
import { isHelpDesk, isSecurityOfficialAnywhere, useAuth } from '../auth';
import { AccessReviewsDue } from '../components/AccessReviews';
import { AddToCalendar } from '../components/AddToCalendar';
import { CoverageBadge, officialsInWords } from '../components/Coverage';
import { Dialog } from '../components/Dialog';
import { ErrorNote, messageOf } from '../components/ErrorNote';
import { Pager } from '../components/Pager';
import { MyDenials } from '../components/MyDenials';
import { SingleOfficialBanner } from '../components/NominateBackup';
import { answeredInWords, MyNominations } from '../components/Nominations';
import { PendingRequests } from '../components/PendingRequests';
import { useToast } from '../components/Toasts';
import { date, dateTime, identifierOf, KIND_TABS, plural, ROLE_LABEL } from '../format';
import { Link, useRouter } from '../router';

const PAGE_SIZE = 20;

export function ManageAccess() {
  const { user, refreshUser } = useAuth();
  const helpDesk = isHelpDesk(user);
  const [view, setView] = useState<ManageAccessView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [page, setPage] = useState(1);
  const [nominations, setNominations] = useState<NominationView[]>([]);
  const [reviews, setReviews] = useState<AccessReviewSummaryView[]>([]);
  const latest = useRef(0);
  const toast = useToast();
  // The daily digest's links (issue 19): ?request=<id>&decision=approve|deny. A link never decides
  // by itself (mail scanners open links); it brings the request's button to focus, to be pressed.
  const { path } = useRouter();
  const linked = new URLSearchParams(path.split('?')[1] ?? '');
  const linkedRequest = linked.get('request');
  const linkedDecision = linked.get('decision') === 'deny' ? 'Deny' : 'Approve';
  const focusedFor = useRef<string | null>(null);

  const load = useCallback(async () => {
    const ticket = ++latest.current;
    try {
      const v = await api.manageAccess({ name: name.trim() || undefined, page, pageSize: PAGE_SIZE });
      if (ticket === latest.current) {
        setView(v);
        setError(null);
      }
    } catch (err) {
      if (ticket === latest.current) setError(messageOf(err));
    }
  }, [name, page]);

  // Nominations to become a Security Official waiting for the caller's answer (issue 18).
  const [nominationsVersion, setNominationsVersion] = useState(0);
  useEffect(() => {
    if (helpDesk) return;
    let live = true;
    api.myNominations().then(
      (list) => live && setNominations(list),
      (err: unknown) => {
        // A gateway without nominations (404) has none to show; anything else is said.
        if (live && !(err instanceof ApiError && err.status === 404)) setError(messageOf(err));
      },
    );
    return () => {
      live = false;
    };
  }, [helpDesk, nominationsVersion]);

  // Access reviews waiting for the caller's decisions (issue 18): as a Security Official, or for the
  // help desk those of organizations with no Security Official.
  useEffect(() => {
    let live = true;
    api.myAccessReviews().then(
      (list) => live && setReviews(list),
      (err: unknown) => {
        if (live && !(err instanceof ApiError && err.status === 404)) setError(messageOf(err));
      },
    );
    return () => {
      live = false;
    };
  }, []);

  // The filter asks the server (GET /manage-access?name=) a moment after typing stops.
  useEffect(() => {
    const t = window.setTimeout(() => void load(), 250);
    return () => window.clearTimeout(t);
  }, [load]);

  const linkedGone = !!view && !!linkedRequest && !view.pendingRequests.items.some((r) => r.requestId === linkedRequest);
  useEffect(() => {
    // Once per link: a reload of the list after a decision must not pull focus back.
    if (!view || !linkedRequest || focusedFor.current === linkedRequest) return;
    focusedFor.current = linkedRequest;
    const row = [...document.querySelectorAll<HTMLElement>('[data-request-id]')].find((el) => el.dataset.requestId === linkedRequest);
    const button = row && [...row.querySelectorAll('button')].find((b) => b.textContent?.trim() === linkedDecision);
    if (!button) return;
    button.scrollIntoView({ block: 'center' });
    button.focus();
  }, [view, linkedRequest, linkedDecision]);

  const pending = view?.pendingRequests;
  const pages = pending ? Math.max(1, Math.ceil(pending.total / pending.pageSize)) : 1;
  const connectedTotal = view ? Object.values(view.connectedOrganizations).reduce((n, list) => n + list.length, 0) : 0;
  // The organizations that hang on the caller alone: a banner each, with "Nominate a backup".
  const single = view
    ? KIND_TABS.flatMap((t) => view.connectedOrganizations[t.kind] ?? []).filter((o) => o.myRole === 'SECURITY_OFFICIAL' && o.coverage.state === 'SINGLE')
    : [];

  return (
    <>
      <h1>Manage Access</h1>
      <ErrorNote error={error} />
      {single.map((o) => (
        <SingleOfficialBanner key={o.id} organization={o} coverage={o.coverage} />
      ))}
      <AccessReviewsDue reviews={reviews} helpDesk={helpDesk} />
      {nominations.length > 0 && (
        <section aria-labelledby="nominations-heading" className="section">
          <h2 id="nominations-heading">Security Official Nominations ({nominations.length})</h2>
          <MyNominations
            nominations={nominations}
            onAnswered={(n) => {
              toast(answeredInWords(n));
              setNominationsVersion((v) => v + 1);
              void load();
              if (n.status === 'ACCEPTED') void refreshUser();
            }}
          />
        </section>
      )}
      <section aria-labelledby="pending-heading" className="section">
        <h2 id="pending-heading">Pending Requests {pending ? `(${pending.total})` : ''}</h2>
        {helpDesk && (
          <p className="info-note">As the Quality Payment Program’s help desk, you decide the requests at organizations that have no Security Official.</p>
        )}
        {linkedGone && (
          <p className="info-note" role="status">
            The request your email links to is no longer waiting for your decision here: it was decided or withdrawn, or it is on another page.
          </p>
        )}
        {/* The guide's Helpful Hint, for those who decide requests (issue 19). */}
        {user && (helpDesk || isSecurityOfficialAnywhere(user)) && <AddToCalendar />}
        {!view ? (
          <p aria-busy="true">Loading…</p>
        ) : (
          <>
            <PendingRequests requests={view.pendingRequests.items} onDecided={() => void load()} linkOrganizations={helpDesk} />
            <Pager label="Pending requests pages" page={page} pages={pages} onPage={setPage} />
          </>
        )}
      </section>

      {view && view.myRequests.length > 0 && (
        <section aria-labelledby="my-requests-heading" className="section">
          <h2 id="my-requests-heading">Your Requests ({view.myRequests.length})</h2>
          <MyRequests requests={view.myRequests} onChanged={() => void load()} />
        </section>
      )}

      {view && !helpDesk && <MyDenials pending={view.myRequests} />}

      {!helpDesk && (
        <section aria-labelledby="connected-heading" className="section">
          <div className="section-head">
            <h2 id="connected-heading">Connected Organizations {view ? `(${connectedTotal})` : ''}</h2>
            <Link to="/connect" className="button-link">
              Connect to another organization
            </Link>
          </div>
          <div className="field filter">
            <label htmlFor="org-filter">Filter by organization name</label>
            <input
              id="org-filter"
              type="search"
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                setPage(1);
              }}
            />
          </div>
          {view && <ConnectedOrganizations groups={view.connectedOrganizations} onChanged={() => void load()} />}
        </section>
      )}
    </>
  );
}

/** "Waiting for approval from ...": the requester is told who can approve (rules 3 and 6). */
export function waitingFor(approvers: string[]): string {
  if (approvers.length === 0 || (approvers.length === 1 && approvers[0] === PROGRAM_APPROVER_NAME)) return 'Waiting for approval from the Quality Payment Program';
  return 'Waiting for approval from the current Security Official(s)';
}

function MyRequests({ requests, onChanged }: { requests: MyRequestView[]; onChanged: () => void }) {
  const toast = useToast();
  const [withdrawing, setWithdrawing] = useState<MyRequestView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const withdraw = async (r: MyRequestView) => {
    setBusy(true);
    setError(null);
    try {
      await api.withdraw(r.requestId);
      setWithdrawing(null);
      toast(`You withdrew your request for the ${ROLE_LABEL[r.role]} role at ${r.organization.name}.`);
      onChanged();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <ul className="request-list">
      {requests.map((r) => {
        const program = waitingFor(r.approvers).endsWith('Quality Payment Program');
        return (
          <li key={r.requestId} className="request-row" data-testid="my-request">
            <div className="who">
              <strong>You</strong>
              <span className="muted">{r.organization.name}</span>
            </div>
            <div className="role">
              <span className="label">Role</span> {ROLE_LABEL[r.role]}
            </div>
            <div className="status">
              <p>{waitingFor(r.approvers)}</p>
              {!program && <p className="muted approvers">{r.approvers.join(', ')}</p>}
              {r.nextReminderAt && <p className="muted next-reminder">{program ? 'The Quality Payment Program' : 'They'} will be reminded {dateTime(r.nextReminderAt)}.</p>}
              <button type="button" className="link-button" onClick={() => setWithdrawing(r)}>
                Withdraw request
              </button>
            </div>
          </li>
        );
      })}
      {withdrawing && (
        <Dialog title="Withdraw your request?" onClose={() => setWithdrawing(null)}>
          <p>
            Your request for the {ROLE_LABEL[withdrawing.role]} role at {withdrawing.organization.name} will be withdrawn. You can submit a new request later.
          </p>
          <ErrorNote error={error} />
          <div className="actions">
            <button type="button" className="danger" disabled={busy} onClick={() => void withdraw(withdrawing)}>
              Yes, Withdraw Request
            </button>
            <button type="button" className="secondary" onClick={() => setWithdrawing(null)}>
              No, Cancel Action
            </button>
          </div>
        </Dialog>
      )}
    </ul>
  );
}

function ConnectedOrganizations({ groups, onChanged }: { groups: Record<OrganizationKind, ConnectedOrganizationView[]>; onChanged: () => void }) {
  const firstWithOrgs = KIND_TABS.find((t) => (groups[t.kind]?.length ?? 0) > 0)?.kind;
  const [selected, setSelected] = useState<OrganizationKind>((groups.PRACTICE?.length ?? 0) > 0 ? 'PRACTICE' : (firstWithOrgs ?? 'PRACTICE'));
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});

  // Arrow keys move between tabs (WAI-ARIA tabs pattern); Tab moves into the panel.
  const onKeyDown = (e: KeyboardEvent, index: number) => {
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    let target: number | null = delta ? (index + delta + KIND_TABS.length) % KIND_TABS.length : null;
    if (e.key === 'Home') target = 0;
    if (e.key === 'End') target = KIND_TABS.length - 1;
    if (target === null) return;
    e.preventDefault();
    const kind = KIND_TABS[target]!.kind;
    setSelected(kind);
    tabRefs.current[kind]?.focus();
  };

  const orgs = groups[selected] ?? [];
  const label = KIND_TABS.find((t) => t.kind === selected)!.label;
  return (
    <div className="tabs">
      <div role="tablist" aria-label="Kinds of organization" className="tablist">
        {KIND_TABS.map((t, i) => (
          <button
            key={t.kind}
            ref={(el) => {
              tabRefs.current[t.kind] = el;
            }}
            role="tab"
            type="button"
            id={`tab-${t.kind}`}
            aria-selected={selected === t.kind}
            aria-controls={`panel-${t.kind}`}
            tabIndex={selected === t.kind ? 0 : -1}
            onClick={() => setSelected(t.kind)}
            onKeyDown={(e) => onKeyDown(e, i)}
          >
            {t.label} ({groups[t.kind]?.length ?? 0})
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${selected}`} aria-labelledby={`tab-${selected}`} className="tabpanel">
        <p className="muted">{plural(orgs.length, label.replace(/ies$/, 'y').replace(/s$/, ''), label)}</p>
        {orgs.length === 0 ? (
          <p className="empty">No connected {label.toLowerCase()}.</p>
        ) : (
          <ul className="org-cards">
            {orgs.map((o) => (
              <OrganizationCard key={o.id} org={o} onChanged={onChanged} />
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

function OrganizationCard({ org, onChanged }: { org: ConnectedOrganizationView; onChanged: () => void }) {
  const official = org.myRole === 'SECURITY_OFFICIAL';
  const [editing, setEditing] = useState(false);
  const headingId = `org-${org.id}`;
  return (
    <li className="card org-card" aria-labelledby={headingId} data-testid="organization-card">
      <h3 id={headingId}>{org.name}</h3>
      <p className="muted">
        {identifierOf(org)} | {org.address}
      </p>
      <p className="coverage-line">
        <CoverageBadge coverage={org.coverage} /> <span className="muted">{officialsInWords(org.coverage)}</span>
      </p>
      <dl className="org-facts">
        <div>
          <dt>Your role</dt>
          <dd>{ROLE_LABEL[org.myRole]}</dd>
        </div>
        {org.registration && (
          <div>
            <dt>CMS Web Interface and CAHPS</dt>
            <dd>
              <ul className="registration">
                <li>
                  <span aria-hidden="true" className={org.registration.cmsWebInterface ? 'mark yes' : 'mark no'}>
                    {org.registration.cmsWebInterface ? '✔' : '●'}
                  </span>{' '}
                  CMS Web Interface <span className="sr-only">{org.registration.cmsWebInterface ? '(registered)' : '(not registered)'}</span>
                </li>
                <li>
                  <span aria-hidden="true" className={org.registration.cahpsSurvey ? 'mark yes' : 'mark no'}>
                    {org.registration.cahpsSurvey ? '✔' : '●'}
                  </span>{' '}
                  CAHPS Survey <span className="sr-only">{org.registration.cahpsSurvey ? '(registered)' : '(not registered)'}</span>
                </li>
              </ul>
              {official && (
                <button type="button" className="link-button" onClick={() => setEditing(true)} aria-describedby={headingId}>
                  Edit registration
                </button>
              )}
            </dd>
          </div>
        )}
        <div>
          <dt>Users</dt>
          <dd>
            {plural(org.connectedUsers, 'connected user')}
            <br />
            {plural(org.pendingUsers, 'pending user')}
            {official && (
              <>
                <br />
                <Link to={`/organizations/${org.id}/users`} aria-describedby={headingId}>
                  View users
                </Link>
              </>
            )}
          </dd>
        </div>
      </dl>
      {editing && org.registration && <RegistrationDialog org={org} onClose={() => setEditing(false)} onSaved={onChanged} />}
    </li>
  );
}

function RegistrationDialog({ org, onClose, onSaved }: { org: ConnectedOrganizationView; onClose: () => void; onSaved: () => void }) {
  const reg = org.registration!;
  const toast = useToast();
  const [cms, setCms] = useState(reg.cmsWebInterface);
  const [cahps, setCahps] = useState(reg.cahpsSurvey);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.updateRegistration(org.id, { cmsWebInterface: cms, cahpsSurvey: cahps });
      toast(`Registration of ${org.name} saved.`);
      onClose();
      onSaved();
    } catch (err) {
      // Outside the registration window the API answers 422 REGISTRATION_CLOSED: show its message.
      setError(messageOf(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Edit registration: ${org.name}`} onClose={onClose}>
      <p className="hint">
        Registration is available only during the registration period, {date(reg.window.opens)} – {date(reg.window.closes)}.
      </p>
      <fieldset className="form">
        <legend>Register for</legend>
        <label className="checkbox">
          <input type="checkbox" checked={cms} onChange={(e) => setCms(e.target.checked)} /> CMS Web Interface
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={cahps} onChange={(e) => setCahps(e.target.checked)} /> CAHPS for MIPS Survey
        </label>
      </fieldset>
      <ErrorNote error={error} />
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={() => void save()}>
          Save registration
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
