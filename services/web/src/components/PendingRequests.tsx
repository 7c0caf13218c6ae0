import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { Decision, OrganizationSummary, PendingDecisionView, RoleRequestView } from '@am/contracts';
import { api, type DecisionItemResult } from '../api/client';
import { useAuth } from '../auth';
import { APPROVAL_IS_FINAL } from '../decisions';
import { ROLE_LABEL } from '../format';
import { forgetDenials, rememberDenials, useRecentDenials, type RecentDenial } from '../recent-denials';
import { Link } from '../router';
import { BulkDecisionDialog } from './BulkDecisionDialog';
import { DecisionFailures, type DecisionFailure } from './DecisionFailures';
import { DeniedRow } from './DeniedRow';
import { DenyDialog } from './DenyDialog';
import { ErrorNote, messageOf } from './ErrorNote';
import { useToast } from './Toasts';

type Entry = { kind: 'pending'; r: PendingDecisionView; at: string } | { kind: 'denied'; d: RecentDenial; at: string };
interface Group {
  organization: OrganizationSummary;
  entries: Entry[];
}

/**
 * Requests waiting for my decision, by organization: each with Approve and Deny (deny asks why),
 * a checkbox to decide many at once ("Approve selected" / "Deny selected"), and, in place of a
 * request I just denied, Undo while its undo window is open (issue 17).
 */
export function PendingRequests({
  requests,
  onDecided,
  linkOrganizations = false,
  organizationId,
}: {
  requests: PendingDecisionView[];
  onDecided: () => void;
  linkOrganizations?: boolean;
  /** Shows only this organization's denials (the organization's own page). */
  organizationId?: string;
}) {
  const { user } = useAuth();
  const toast = useToast();
  const [busy, setBusy] = useState<string | null>(null);
  const [denying, setDenying] = useState<PendingDecisionView | null>(null);
  const [bulk, setBulk] = useState<Decision | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [failures, setFailures] = useState<DecisionFailure[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  // The list as it was when I decided: until the screen reloads it, my denials win over its rows.
  const [staleList, setStaleList] = useState<PendingDecisionView[] | null>(null);
  const denials = useRecentDenials(user.id).filter((d) => !organizationId || d.request.organization.id === organizationId);

  const fresh = requests !== staleList;
  const pendingIds = new Set(requests.map((r) => r.requestId));
  const deniedIds = new Set(denials.map((d) => d.request.id));
  // A denial undone meanwhile by another approver is pending again: the fresh list's row wins.
  const undoneElsewhere = fresh ? denials.filter((d) => pendingIds.has(d.request.id)).map((d) => d.request.id) : [];
  useEffect(() => {
    if (undoneElsewhere.length) forgetDenials(undoneElsewhere);
  });
  const pending = requests.filter((r) => !deniedIds.has(r.requestId) || fresh);
  const selectable = new Set(pending.map((r) => r.requestId));
  const chosen = [...selected].filter((id) => selectable.has(id));

  const decided = () => {
    setStaleList(requests);
    onDecided();
  };

  const approve = async (r: PendingDecisionView) => {
    setBusy(r.requestId);
    setError(null);
    try {
      await api.approve(r.requestId);
      toast(`You approved ${r.requester.displayName}'s request for the ${ROLE_LABEL[r.role]} role at ${r.organization.name}.`);
      decided();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(null);
    }
  };

  const denied = (r: PendingDecisionView, view: RoleRequestView) => {
    rememberDenials([view], user.id);
    toast(`You denied ${r.requester.displayName}'s request for the ${ROLE_LABEL[r.role]} role at ${r.organization.name}.`);
    setDenying(null);
    setFocusId(r.requestId);
    decided();
  };

  const undone = (requestId: string) => {
    setFocusId(requestId);
    onDecided();
  };

  const bulkDecided = (decision: Decision, results: DecisionItemResult[]) => {
    const byId = new Map(requests.map((r) => [r.requestId, r]));
    const ok = results.filter((x) => x.status === 200 && x.request);
    const failed = results.filter((x) => !(x.status === 200 && x.request));
    if (decision === 'DENY') rememberDenials(ok.map((x) => x.request!), user.id);
    const failedIds = new Set(failed.map((f) => f.requestId));
    setFailures((before) => [
      ...failed.map((f) => ({ requestId: f.requestId, request: byId.get(f.requestId), message: f.error?.message ?? `The server answered ${f.status}.` })),
      ...before.filter((b) => !failedIds.has(b.requestId)),
    ]);
    const done = `${ok.length} ${decision === 'APPROVE' ? 'approved' : 'denied'}`;
    toast(failed.length ? `${done}, ${failed.length} could not be decided.` : `${done}.`, failed.length ? 'info' : 'success');
    setSelected(new Set());
    setBulk(null);
    setFocusId(null);
    decided();
  };

  const groups = groupByOrganization(pending, denials);
  const toggle = (ids: string[], on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      ids.forEach((id) => (on ? next.add(id) : next.delete(id)));
      return next;
    });

  return (
    <>
      <ErrorNote error={error} />
      <DecisionFailures failures={failures} onDismiss={(ids) => setFailures((fs) => fs.filter((f) => !ids.includes(f.requestId)))} />
      {groups.length === 0 ? (
        <p className="empty">There are no pending requests.</p>
      ) : (
        <>
          {pending.length > 0 && (
            <BulkActions count={chosen.length} total={pending.length} onApprove={() => setBulk('APPROVE')} onDeny={() => setBulk('DENY')} />
          )}
          {groups.map((g) => (
            <OrganizationGroup key={g.organization.id} group={g} selected={selected} onToggle={toggle}>
              {g.entries.map((e) =>
                e.kind === 'pending' ? (
                  <RequestRow
                    key={e.r.requestId}
                    r={e.r}
                    busy={busy === e.r.requestId}
                    focus={focusId === e.r.requestId}
                    checked={selected.has(e.r.requestId)}
                    linkOrganization={linkOrganizations}
                    onCheck={(on) => toggle([e.r.requestId], on)}
                    onApprove={() => void approve(e.r)}
                    onDeny={() => setDenying(e.r)}
                  />
                ) : (
                  <DeniedRow key={e.d.request.id} denial={e.d} focus={focusId === e.d.request.id} onUndone={undone} />
                ),
              )}
            </OrganizationGroup>
          ))}
        </>
      )}
      {denying && <DenyDialog request={denying} onClose={() => setDenying(null)} onDenied={(view) => denied(denying, view)} />}
      {bulk && <BulkDecisionDialog decision={bulk} requestIds={chosen} onClose={() => setBulk(null)} onDecided={(results) => bulkDecided(bulk, results)} />}
    </>
  );
}

/** Pending rows and my recent denials, by organization, oldest request first within each. */
function groupByOrganization(pending: PendingDecisionView[], denials: RecentDenial[]): Group[] {
  const groups = new Map<string, Group>();
  const add = (organization: OrganizationSummary, e: Entry) => {
    const g = groups.get(organization.id) ?? { organization, entries: [] };
    g.entries.push(e);
    groups.set(organization.id, g);
  };
  pending.forEach((r) => add(r.organization, { kind: 'pending', r, at: r.createdAt }));
  const shown = new Set(pending.map((r) => r.requestId));
  denials.filter((d) => !shown.has(d.request.id)).forEach((d) => add(d.request.organization, { kind: 'denied', d, at: d.request.createdAt }));
  for (const g of groups.values()) g.entries.sort((a, b) => a.at.localeCompare(b.at));
  return [...groups.values()];
}

function BulkActions({ count, total, onApprove, onDeny }: { count: number; total: number; onApprove: () => void; onDeny: () => void }) {
  return (
    <div className="bulk-actions" role="group" aria-label="Decide the selected requests">
      <p className="bulk-count" aria-live="polite">
        {count} of {total} selected
      </p>
      <button type="button" className="primary" disabled={count === 0} onClick={onApprove}>
        Approve selected
      </button>
      <button type="button" className="secondary" disabled={count === 0} onClick={onDeny}>
        Deny selected
      </button>
      <p className="hint approval-note">{APPROVAL_IS_FINAL}</p>
    </div>
  );
}

function OrganizationGroup({
  group,
  selected,
  onToggle,
  children,
}: {
  group: Group;
  selected: ReadonlySet<string>;
  onToggle: (ids: string[], on: boolean) => void;
  children: ReactNode;
}) {
  const headingId = useId();
  const ids = group.entries.flatMap((e) => (e.kind === 'pending' ? [e.r.requestId] : []));
  const count = ids.filter((id) => selected.has(id)).length;
  return (
    <div className="request-group" role="group" aria-labelledby={headingId} data-testid="request-group">
      <div className="group-head">
        <h3 id={headingId}>{group.organization.name}</h3>
        {ids.length > 0 && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={count === ids.length}
              ref={(el) => {
                if (el) el.indeterminate = count > 0 && count < ids.length;
              }}
              onChange={(e) => onToggle(ids, e.target.checked)}
            />
            Select all {ids.length} at {group.organization.name}
          </label>
        )}
      </div>
      <ul className="request-list">{children}</ul>
    </div>
  );
}

function RequestRow({
  r,
  busy,
  focus,
  checked,
  linkOrganization,
  onCheck,
  onApprove,
  onDeny,
}: {
  r: PendingDecisionView;
  busy: boolean;
  focus: boolean;
  checked: boolean;
  linkOrganization: boolean;
  onCheck: (on: boolean) => void;
  onApprove: () => void;
  onDeny: () => void;
}) {
  const whoId = useId();
  const denyRef = useRef<HTMLButtonElement>(null);
  // Back after an undo: focus returns to the request's own actions.
  useEffect(() => {
    if (focus) denyRef.current?.focus();
  }, [focus]);
  return (
    <li className="request-row selectable" data-testid="pending-request" data-request-id={r.requestId}>
      <label className="select-request">
        <input type="checkbox" checked={checked} onChange={(e) => onCheck(e.target.checked)} />
        <span className="sr-only">
          Select {r.requester.displayName}’s request for the {ROLE_LABEL[r.role]} role at {r.organization.name}
        </span>
      </label>
      <div className="who" id={whoId}>
        <strong>{r.requester.displayName}</strong>
        <span className="muted">{linkOrganization ? <Link to={`/organizations/${r.organization.id}/users`}>{r.organization.name}</Link> : r.organization.name}</span>
        {r.justification && <span className="justification">“{r.justification}”</span>}
      </div>
      <div className="role">
        <span className="label">Role</span> {ROLE_LABEL[r.role]}
      </div>
      <div className="actions">
        <button type="button" className="primary" onClick={onApprove} disabled={busy} aria-describedby={whoId}>
          Approve
        </button>
        <button type="button" ref={denyRef} className="secondary" onClick={onDeny} disabled={busy} aria-describedby={whoId}>
          Deny
        </button>
      </div>
    </li>
  );
}
