import { useEffect, useRef } from 'react';
import type { PendingDecisionView } from '@am/contracts';
import { ROLE_LABEL } from '../format';

/** A request a bulk decision could not decide, with the server's reason. */
export interface DecisionFailure {
  requestId: string;
  /** The row it was selected from (absent only if the list changed meanwhile). */
  request?: PendingDecisionView;
  message: string;
}

/** The requests a bulk decision could not decide, each with why, listed until dismissed. */
export function DecisionFailures({ failures, onDismiss }: { failures: DecisionFailure[]; onDismiss: (requestIds: string[]) => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const count = failures.length;
  // Focus comes here when a batch leaves failures, so they are read out before anything else.
  useEffect(() => {
    if (count > 0) headingRef.current?.focus();
  }, [count]);
  if (count === 0) return null;
  return (
    <section className="decision-failures" aria-labelledby="decision-failures-heading" data-testid="decision-failures">
      <h3 id="decision-failures-heading" tabIndex={-1} ref={headingRef}>
        Could not be decided ({count})
      </h3>
      <ul>
        {failures.map((f) => (
          <li key={f.requestId} data-testid="decision-failure">
            <span>
              {f.request ? (
                <>
                  <strong>{f.request.requester.displayName}</strong>, {ROLE_LABEL[f.request.role]} at {f.request.organization.name}:{' '}
                </>
              ) : (
                <>
                  <strong>Request {f.requestId}</strong>:{' '}
                </>
              )}
              {f.message}
            </span>
            <button type="button" className="link-button" onClick={() => onDismiss([f.requestId])}>
              Dismiss<span className="sr-only"> this failure</span>
            </button>
          </li>
        ))}
      </ul>
      {count > 1 && (
        <button type="button" className="link-button" onClick={() => onDismiss(failures.map((f) => f.requestId))}>
          Dismiss all
        </button>
      )}
    </section>
  );
}
