import { useState, type FormEvent } from 'react';
import type { Decision } from '@am/contracts';
import { api, type DecisionItemResult } from '../api/client';
import { plural } from '../format';
import { Dialog } from './Dialog';
import { DenyReasonFields, useDenyReason } from './DenyReasonFields';
import { ErrorNote, messageOf } from './ErrorNote';
import { APPROVAL_IS_FINAL } from '../decisions';

/**
 * "Approve 5 requests?" / "Deny 5 requests?": the confirmation of a bulk decision, with the reason
 * for a deny. One call decides them all, each as if alone; the answer has one result per request.
 */
export function BulkDecisionDialog({
  decision,
  requestIds,
  onClose,
  onDecided,
}: {
  decision: Decision;
  requestIds: string[];
  onClose: () => void;
  onDecided: (results: DecisionItemResult[]) => void;
}) {
  const why = useDenyReason();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const approve = decision === 'APPROVE';
  const count = plural(requestIds.length, 'request');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const reason = approve ? undefined : why.check();
    if (!approve && !reason) return;
    setBusy(true);
    try {
      onDecided(await api.decideMany(decision, requestIds, reason ?? undefined));
    } catch (err) {
      if (approve) setError(messageOf(err));
      else why.refused(err);
      setBusy(false);
    }
  };
  return (
    <Dialog title={`${approve ? 'Approve' : 'Deny'} ${count}?`} onClose={onClose}>
      <form onSubmit={submit} className="form" noValidate>
        {approve ? (
          <p>
            Each person gets the role they asked for at once, and is told by email. <span className="hint">{APPROVAL_IS_FINAL}</span>
          </p>
        ) : (
          <>
            <p>Each person is told why by email once the denial is final: until then, for a short time, you can undo each denial.</p>
            <DenyReasonFields idPrefix="bulk-deny" {...why.fields} />
          </>
        )}
        <ErrorNote error={error ?? why.formError} />
        <div className="actions">
          <button type="submit" className={approve ? 'primary' : 'danger'} disabled={busy}>
            {approve ? `Yes, Approve ${count}` : `Yes, Deny ${count}`}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            No, Cancel Action
          </button>
        </div>
      </form>
    </Dialog>
  );
}
