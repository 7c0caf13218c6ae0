import { useEffect, useId, useRef, useState } from 'react';
import { api, ApiError } from '../api/client';
import { DENY_REASON_CHOICES } from '../decisions';
import { dateTime, ROLE_LABEL, timeLeft } from '../format';
import { forgetDenials, markDenialFinal, type RecentDenial } from '../recent-denials';
import { useCountdown } from '../use-now';
import { ErrorNote, messageOf } from './ErrorNote';
import { useToast } from './Toasts';

/**
 * A request this decider just denied, in place of its pending row: "Denied — Undo" with the time
 * left of the server's undo window (issue 17), counted down from its undoUntil; once the window
 * has closed, that the denial is final, until dismissed.
 */
export function DeniedRow({ denial, focus, onUndone }: { denial: RecentDenial; focus: boolean; onUndone: (requestId: string) => void }) {
  const r = denial.request;
  const toast = useToast();
  const whoId = useId();
  const undoRef = useRef<HTMLButtonElement>(null);
  const dismissRef = useRef<HTMLButtonElement>(null);
  const until = Date.parse(r.undoUntil ?? '');
  const now = useCountdown(until);
  const open = denial.finalNote === undefined && until > now;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (focus) (open ? undoRef : dismissRef).current?.focus();
    // Only when this row is asked to take focus (just denied), not on every tick.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus]);

  const undo = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.undo(r.id);
      forgetDenials([r.id]);
      toast(`You undid the denial: ${r.requester.displayName}'s request for the ${ROLE_LABEL[r.role]} role at ${r.organization.name} is pending again.`);
      onUndone(r.id);
    } catch (err) {
      // 409 UNDO_WINDOW_CLOSED (or NOT_UNDOABLE): the server's word is final, say it as it says it.
      if (err instanceof ApiError && err.status === 409) markDenialFinal(r.id, err.message);
      else setError(messageOf(err));
      setBusy(false);
    }
  };

  const reasonLabel = DENY_REASON_CHOICES.find((c) => c.code === r.reasonCode)?.label;
  return (
    <li className="request-row denied-row" data-testid="denied-request">
      <div className="who" id={whoId}>
        <strong>{r.requester.displayName}</strong>
        <span className="muted">{r.organization.name}</span>
        {reasonLabel && <span className="muted">Reason: {reasonLabel}{r.reason ? ` — “${r.reason}”` : ''}</span>}
      </div>
      <div className="role">
        <span className="label">Role</span> {ROLE_LABEL[r.role]}
      </div>
      <div className="status">
        {open ? (
          <p>
            <strong>Denied</strong> —{' '}
            <button type="button" ref={undoRef} className="secondary small" onClick={() => void undo()} disabled={busy} aria-describedby={whoId}>
              Undo
            </button>{' '}
            <span role="timer" className="time-left">
              {timeLeft(until, now)} left
            </span>
          </p>
        ) : (
          <>
            <p>
              <strong>Denied.</strong> {denial.finalNote ?? `The denial is final: the undo window closed at ${dateTime(r.undoUntil ?? new Date(now).toISOString())}.`}
            </p>
            <button type="button" ref={dismissRef} className="link-button" onClick={() => forgetDenials([r.id])} aria-describedby={whoId}>
              Dismiss
            </button>
          </>
        )}
        <ErrorNote error={error} />
      </div>
    </li>
  );
}
