import { useId, useState, type FormEvent } from 'react';
import type { PendingDecisionView } from '@am/contracts';
import { api } from '../api/client';
import { Link } from '../router';
import { ROLE_LABEL } from '../format';
import { Dialog } from './Dialog';
import { ErrorNote, messageOf } from './ErrorNote';
import { useToast } from './Toasts';

/** Requests waiting for my decision, each with Approve and Deny (deny asks for an optional reason). */
export function PendingRequests({
  requests,
  onDecided,
  linkOrganizations = false,
}: {
  requests: PendingDecisionView[];
  onDecided: () => void;
  linkOrganizations?: boolean;
}) {
  const toast = useToast();
  const [busy, setBusy] = useState<string | null>(null);
  const [denying, setDenying] = useState<PendingDecisionView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const approve = async (r: PendingDecisionView) => {
    setBusy(r.requestId);
    setError(null);
    try {
      await api.approve(r.requestId);
      toast(`You approved ${r.requester.displayName}'s request for the ${ROLE_LABEL[r.role]} role at ${r.organization.name}.`);
      onDecided();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(null);
    }
  };

  if (requests.length === 0) return <p className="empty">There are no pending requests.</p>;
  return (
    <>
      <ErrorNote error={error} />
      <ul className="request-list">
        {requests.map((r) => (
          <RequestRow key={r.requestId} r={r} busy={busy === r.requestId} linkOrganization={linkOrganizations} onApprove={() => void approve(r)} onDeny={() => setDenying(r)} />
        ))}
      </ul>
      {denying && (
        <DenyDialog
          request={denying}
          onClose={() => setDenying(null)}
          onDenied={() => {
            toast(`You denied ${denying.requester.displayName}'s request for the ${ROLE_LABEL[denying.role]} role at ${denying.organization.name}.`);
            setDenying(null);
            onDecided();
          }}
        />
      )}
    </>
  );
}

function RequestRow({ r, busy, linkOrganization, onApprove, onDeny }: { r: PendingDecisionView; busy: boolean; linkOrganization: boolean; onApprove: () => void; onDeny: () => void }) {
  const whoId = useId();
  return (
    <li className="request-row" data-testid="pending-request">
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
        <button type="button" className="secondary" onClick={onDeny} disabled={busy} aria-describedby={whoId}>
          Deny
        </button>
      </div>
    </li>
  );
}

function DenyDialog({ request, onClose, onDenied }: { request: PendingDecisionView; onClose: () => void; onDenied: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.deny(request.requestId, reason.trim() || undefined);
      onDenied();
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title="Deny this request?" onClose={onClose}>
      <form onSubmit={submit} className="form">
        <p>
          {request.requester.displayName} asked for the {ROLE_LABEL[request.role]} role at {request.organization.name}. They will be told by email.
        </p>
        <div className="field">
          <label htmlFor="deny-reason">Reason (optional)</label>
          <textarea id="deny-reason" value={reason} maxLength={1000} rows={3} onChange={(e) => setReason(e.target.value)} />
        </div>
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" className="danger" disabled={busy}>
            Yes, Deny Request
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            No, Cancel Action
          </button>
        </div>
      </form>
    </Dialog>
  );
}
