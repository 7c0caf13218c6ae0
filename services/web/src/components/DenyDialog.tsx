import { useState, type FormEvent } from 'react';
import type { PendingDecisionView, RoleRequestView } from '@am/contracts';
import { api } from '../api/client';
import { ROLE_LABEL } from '../format';
import { Dialog } from './Dialog';
import { DenyReasonFields, useDenyReason } from './DenyReasonFields';
import { ErrorNote } from './ErrorNote';

/** Deny one request: the decider must say why (a reason code; a reason too for "Other"). */
export function DenyDialog({ request, onClose, onDenied }: { request: PendingDecisionView; onClose: () => void; onDenied: (denied: RoleRequestView) => void }) {
  const why = useDenyReason();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const reason = why.check();
    if (!reason) return;
    setBusy(true);
    try {
      onDenied(await api.deny(request.requestId, reason));
    } catch (err) {
      why.refused(err);
      setBusy(false);
    }
  };
  return (
    <Dialog title="Deny this request?" onClose={onClose}>
      <form onSubmit={submit} className="form" noValidate>
        <p>
          {request.requester.displayName} asked for the {ROLE_LABEL[request.role]} role at {request.organization.name}. They are told why by email once the denial is final:
          until then, for a short time, you can undo it.
        </p>
        <DenyReasonFields idPrefix="deny" {...why.fields} />
        <ErrorNote error={why.formError} />
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
