import { useCallback, useEffect, useId, useState } from 'react';
import type { ConnectedUserView, OrganizationUsersView } from '@am/contracts';
import { api } from '../api/client';
import { isHelpDesk, useAuth } from '../auth';
import { CoverageBadge, officialsInWords } from '../components/Coverage';
import { Dialog } from '../components/Dialog';
import { ErrorNote, messageOf } from '../components/ErrorNote';
import { SingleOfficialBanner } from '../components/NominateBackup';
import { Pager } from '../components/Pager';
import { PendingRequests } from '../components/PendingRequests';
import { useToast } from '../components/Toasts';
import { identifierOf, ROLE_LABEL } from '../format';
import { Link, useRouter } from '../router';

const PAGE_SIZE = 50;

/** An organization's users (the guide's "View users"): its pending requests and its connected users. */
export function OrganizationUsers({ orgId }: { orgId: string }) {
  const { user } = useAuth();
  const [view, setView] = useState<OrganizationUsersView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [removing, setRemoving] = useState<ConnectedUserView | null>(null);

  const [version, setVersion] = useState(0);
  const load = useCallback(() => setVersion((v) => v + 1), []);
  useEffect(() => {
    let live = true;
    api.organizationUsers(orgId, { page, pageSize: PAGE_SIZE }).then(
      (v) => {
        if (!live) return;
        setView(v);
        setError(null);
      },
      (err: unknown) => live && setError(messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [orgId, page, version]);

  if (!view) {
    return (
      <>
        <p className="breadcrumb">
          <Link to="/manage-access">Manage Access</Link>
        </p>
        <h1>Connected Users</h1>
        {error ? <ErrorNote error={error} /> : <p aria-busy="true">Loading…</p>}
      </>
    );
  }
  const users = view.connectedUsers;
  const pages = Math.max(1, Math.ceil(users.total / users.pageSize));
  return (
    <>
      <p className="breadcrumb">
        <Link to="/manage-access">Manage Access</Link> / {view.organization.name}
      </p>
      <h1>{view.organization.name}</h1>
      <p className="muted">
        {identifierOf(view.organization)} | {view.organization.address}
      </p>
      <p className="coverage-line">
        <CoverageBadge coverage={view.organization.coverage} /> <span className="muted">{officialsInWords(view.organization.coverage)}</span>
      </p>
      <ErrorNote error={error} />
      {/* Only the help desk and the organization's Security Officials see this page: the latter get the banner. */}
      {!isHelpDesk(user) && view.organization.coverage.state === 'SINGLE' && <SingleOfficialBanner organization={view.organization} coverage={view.organization.coverage} />}
      <section aria-labelledby="org-pending-heading" className="section">
        <h2 id="org-pending-heading">Pending Requests ({view.pendingRequests.length})</h2>
        <PendingRequests requests={view.pendingRequests} onDecided={load} organizationId={orgId} />
      </section>
      <section aria-labelledby="connected-users-heading" className="section">
        <h2 id="connected-users-heading">Connected Users ({users.total})</h2>
        {users.items.length === 0 ? (
          <p className="empty">No connected users.</p>
        ) : (
          <ul className="request-list">
            {users.items.map((u) => (
              <UserRow key={u.user.id} u={u} onRemove={() => setRemoving(u)} />
            ))}
          </ul>
        )}
        <Pager label="Connected users pages" page={page} pages={pages} onPage={setPage} />
      </section>
      {removing && <RemoveDialog orgId={orgId} orgName={view.organization.name} target={removing} onClose={() => setRemoving(null)} />}
    </>
  );
}

function UserRow({ u, onRemove }: { u: ConnectedUserView; onRemove: () => void }) {
  const { user } = useAuth();
  const whoId = useId();
  const self = u.user.id === user.id;
  return (
    <li className="request-row" data-testid="connected-user">
      <div className="who" id={whoId}>
        <strong>
          {u.user.displayName}
          {self ? ' (You)' : ''}
        </strong>
        <span className="muted">{u.user.email}</span>
      </div>
      <div className="role">
        <span className="label">Role</span> {ROLE_LABEL[u.role]}
      </div>
      <div className="actions">
        {/* Nobody removes their own access (rule 10): another Security Official must. */}
        {!self && (
          <button type="button" className="danger-link" onClick={onRemove} aria-describedby={whoId}>
            <span aria-hidden="true">✕ </span>Remove Access
          </button>
        )}
      </div>
    </li>
  );
}

function RemoveDialog({ orgId, orgName, target, onClose }: { orgId: string; orgName: string; target: ConnectedUserView; onClose: () => void }) {
  const { user } = useAuth();
  const { navigate } = useRouter();
  const toast = useToast();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const helpDesk = isHelpDesk(user);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.removeAccess(orgId, target.user.id, reason.trim() || undefined);
      onClose();
      // As the guide shows: back to Connected Organizations, with a confirmation in the lower right.
      navigate('/manage-access');
      toast(`${target.user.displayName}'s access to ${orgName} has been removed.`);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title="Remove this user’s access?" onClose={onClose}>
      <p>
        {target.user.displayName} ({ROLE_LABEL[target.role]}) will no longer have access to {orgName}. They will be told by email.
      </p>
      {helpDesk && (
        <div className="field">
          <label htmlFor="remove-reason">Reason (recorded in the audit log)</label>
          <textarea id="remove-reason" rows={3} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
      )}
      <ErrorNote error={error} />
      <div className="actions">
        <button type="button" className="danger" disabled={busy} onClick={() => void confirm()}>
          Yes, Remove Access
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          No, Cancel Action
        </button>
      </div>
    </Dialog>
  );
}
