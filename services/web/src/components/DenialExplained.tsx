import { DENY_REASON_LABELS } from '@am/contracts';
import type { RoleRequestView } from '@am/contracts';

/** Why a request was denied, in plain words, the decider's own reason, and what to do next (issue 17). */
export function DenialExplained({ request }: { request: RoleRequestView }) {
  return (
    <dl className="denial-facts">
      {request.reasonCode && (
        <>
          <dt>Why</dt>
          <dd>{DENY_REASON_LABELS[request.reasonCode]}</dd>
        </>
      )}
      {request.reason && (
        <>
          <dt>Reason given</dt>
          <dd>{request.reason}</dd>
        </>
      )}
      {request.resubmit && (
        <>
          <dt>What you can do</dt>
          <dd>{request.resubmit.hint}</dd>
        </>
      )}
    </dl>
  );
}
