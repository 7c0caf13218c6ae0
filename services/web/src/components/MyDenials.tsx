import { useEffect, useState } from 'react';
import type { MyRequestView, RoleRequestView } from '@am/contracts';
import { api } from '../api/client';
import { requestAgainPath } from '../decisions';
import { dateTime, ROLE_LABEL } from '../format';
import { Link } from '../router';
import { DenialExplained } from './DenialExplained';

const NOTICES_READ = 50;
const SHOWN = 5;

/**
 * The requester's own recent denials, each with why and "Request again" (issue 17). The API lists
 * only one's pending requests; a final denial reaches the requester as an in-app notice whose link
 * names the request (`again=<id>`, the same link as in the email), so the notices say which.
 */
export function MyDenials({ pending }: { pending: MyRequestView[] }) {
  const [denials, setDenials] = useState<RoleRequestView[]>([]);
  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const notices = await api.notifications({ limit: NOTICES_READ });
        const ids = [...new Set(notices.filter((n) => n.kind === 'request-decided').flatMap((n) => deniedRequestIn(n.link)))].slice(0, SHOWN);
        const views = await Promise.all(ids.map((id) => api.request(id).catch(() => null)));
        if (live) setDenials(views.filter((v): v is RoleRequestView => v !== null && v.status === 'DENIED'));
      } catch {
        // Without notices there is nothing to show here; the emails still say it.
      }
    })();
    return () => {
      live = false;
    };
  }, []);
  if (denials.length === 0) return null;
  return (
    <section aria-labelledby="my-denials-heading" className="section">
      <h2 id="my-denials-heading">Denied Requests ({denials.length})</h2>
      <ul className="org-cards">
        {denials.map((r) => (
          <DenialCard key={r.id} request={r} askedAgain={pending.some((p) => p.organization.id === (r.resubmit?.organizationId ?? '') && p.role === r.resubmit?.role)} />
        ))}
      </ul>
    </section>
  );
}

function DenialCard({ request: r, askedAgain }: { request: RoleRequestView; askedAgain: boolean }) {
  const again = requestAgainPath(r);
  const headingId = `denied-${r.id}`;
  return (
    <li className="card denial-card" aria-labelledby={headingId} data-testid="my-denied-request">
      <h3 id={headingId}>
        {ROLE_LABEL[r.role]} at {r.organization.name}
      </h3>
      <p className="muted">
        Denied{r.decidedBy ? ` by ${r.decidedBy.displayName}` : ''}
        {r.decidedAt ? ` on ${dateTime(r.decidedAt)}` : ''}
      </p>
      <DenialExplained request={r} />
      {askedAgain ? (
        <p>You have asked again: that request is pending.</p>
      ) : (
        again && (
          <Link to={again} className="button-link" aria-describedby={headingId}>
            Request again
          </Link>
        )
      )}
    </li>
  );
}

/** The denied request a notice's link names (`...?again=<id>`), if any. */
function deniedRequestIn(link: string): string[] {
  try {
    const id = new URL(link, window.location.href).searchParams.get('again');
    return id ? [id] : [];
  } catch {
    return [];
  }
}
