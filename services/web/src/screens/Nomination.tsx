import { useEffect, useRef, useState } from 'react';
import { api, type NominationView } from '../api/client';
import { useAuth } from '../auth';
import { ErrorNote, messageOf } from '../components/ErrorNote';
import { AnswerNominationDialog, answeredInWords, type NominationAnswer } from '../components/Nominations';
import { dateTime, identifierOf } from '../format';
import { Link } from '../router';

/**
 * One nomination (the link in the nominee's email, `/nominations/<id>`): who nominated them, where,
 * their message, until when; Accept / Decline; after answering, the outcome.
 */
export function Nomination({ nominationId }: { nominationId: string }) {
  const { user, refreshUser } = useAuth();
  const [n, setN] = useState<NominationView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [answering, setAnswering] = useState<NominationAnswer | null>(null);
  const [answered, setAnswered] = useState(false);
  const outcomeRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    api.nomination(nominationId).then(
      (v) => live && setN(v),
      (err: unknown) => live && setError(messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [nominationId]);

  // After answering, focus moves to the outcome, so it is read out and the next step is near.
  useEffect(() => {
    if (answered) outcomeRef.current?.focus();
  }, [answered]);

  if (!n) {
    return (
      <>
        <p className="breadcrumb">
          <Link to="/manage-access">Manage Access</Link>
        </p>
        <h1>Security Official nomination</h1>
        {error ? (
          <>
            <ErrorNote error={error} />
            <p>
              <Link to="/manage-access">Go to Manage Access</Link>
            </p>
          </>
        ) : (
          <p aria-busy="true">Loading…</p>
        )}
      </>
    );
  }

  const nominee = n.nominee.id === user.id;
  const pending = n.status === 'PENDING';
  return (
    <>
      <p className="breadcrumb">
        <Link to="/manage-access">Manage Access</Link> / Nomination
      </p>
      <h1>Security Official nomination</h1>
      <section className="card nomination" aria-labelledby="nomination-heading" data-testid="nomination">
        <h2 id="nomination-heading">
          {nominee ? `${n.nominatedBy.displayName} nominated you` : `${n.nominatedBy.displayName} nominated ${n.nominee.displayName}`} to be a Security Official of {n.organization.name}
        </h2>
        <dl className="denial-facts">
          <dt>Organization</dt>
          <dd>
            {n.organization.name} ({identifierOf(n.organization)})
          </dd>
          <dt>Nominated by</dt>
          <dd>{n.nominatedBy.displayName}</dd>
          <dt>Nominated on</dt>
          <dd>{dateTime(n.createdAt)}</dd>
          {n.message && (
            <>
              <dt>Their message</dt>
              <dd className="nomination-message">“{n.message}”</dd>
            </>
          )}
          <dt>{pending ? 'Answer by' : n.status === 'EXPIRED' ? 'Expired' : 'Answered on'}</dt>
          <dd>{pending || n.status === 'EXPIRED' ? dateTime(n.expiresAt) : n.respondedAt ? dateTime(n.respondedAt) : ''}</dd>
        </dl>
        {pending && nominee && (
          <>
            <p>
              A Security Official approves or denies the requests of people who want to act for {n.organization.name}, and can remove their access. Organizations
              with more than one make sure someone is always available to approve role requests.
            </p>
            <div className="actions">
              <button type="button" className="primary" onClick={() => setAnswering('accept')}>
                Accept
              </button>
              <button type="button" className="secondary" onClick={() => setAnswering('decline')}>
                Decline
              </button>
            </div>
          </>
        )}
        {pending && !nominee && <p>Waiting for {n.nominee.displayName} to accept or decline.</p>}
      </section>
      {!pending && (
        <section className={n.status === 'ACCEPTED' ? 'card success-panel' : 'card'} aria-labelledby="nomination-outcome" data-testid="nomination-outcome">
          <h2 id="nomination-outcome" ref={outcomeRef} tabIndex={-1}>
            {nominee ? answeredInWords(n) : outcomeForOthers(n)}
          </h2>
          {n.status === 'ACCEPTED' && nominee && <p>{n.organization.name} now appears in your Connected Organizations, with its users and pending requests.</p>}
          {n.status === 'DECLINED' && nominee && <p>{n.nominatedBy.displayName} is told that you declined.</p>}
          {n.status === 'EXPIRED' && nominee && (
            <p>
              Ask {n.nominatedBy.displayName} to nominate you again, or <Link to="/connect">request the Security Official role</Link>.
            </p>
          )}
          <p>
            <Link to="/manage-access">Go to Manage Access</Link>
          </p>
        </section>
      )}
      {answering && (
        <AnswerNominationDialog
          nomination={n}
          answer={answering}
          onClose={() => setAnswering(null)}
          onAnswered={(done) => {
            setAnswering(null);
            setN(done);
            setAnswered(true);
            if (done.status === 'ACCEPTED') void refreshUser();
          }}
        />
      )}
    </>
  );
}

function outcomeForOthers(n: NominationView): string {
  switch (n.status) {
    case 'ACCEPTED':
      return `${n.nominee.displayName} accepted: they are a Security Official of ${n.organization.name}.`;
    case 'DECLINED':
      return `${n.nominee.displayName} declined the nomination.`;
    default:
      return `The nomination expired without an answer.`;
  }
}
