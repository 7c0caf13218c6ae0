import { useId, useState } from 'react';
import { api, type NominationView } from '../api/client';
import { dateTime, identifierOf } from '../format';
import { Link } from '../router';
import { Dialog } from './Dialog';
import { ErrorNote, messageOf } from './ErrorNote';

export type NominationAnswer = 'accept' | 'decline';

const ANSWER: Record<NominationAnswer, { title: string; confirm: string; explain: (n: NominationView) => string; className: string }> = {
  accept: {
    title: 'Accept this nomination?',
    confirm: 'Yes, Accept Nomination',
    explain: (n) =>
      `You will become a Security Official of ${n.organization.name}: you will approve or deny the role requests of people who want to act for it, and can remove their access. ${n.nominatedBy.displayName} is told that you accepted.`,
    className: 'primary',
  },
  decline: {
    title: 'Decline this nomination?',
    confirm: 'Yes, Decline Nomination',
    explain: (n) => `You will not become a Security Official of ${n.organization.name}. ${n.nominatedBy.displayName} is told that you declined.`,
    className: 'danger',
  },
};

/** What the nominee reads once they answered: the nomination's outcome, in a sentence. */
export function answeredInWords(n: NominationView): string {
  switch (n.status) {
    case 'ACCEPTED':
      return `You are now a Security Official of ${n.organization.name}.`;
    case 'DECLINED':
      return `You declined the nomination to be a Security Official of ${n.organization.name}.`;
    case 'EXPIRED':
      return `The nomination to be a Security Official of ${n.organization.name} expired without an answer.`;
    default:
      return `The nomination to be a Security Official of ${n.organization.name} is waiting for an answer.`;
  }
}

/** Accept or decline, after a confirmation (as approve and deny ask); the API's refusal stays in the dialog. */
export function AnswerNominationDialog({
  nomination,
  answer,
  onClose,
  onAnswered,
}: {
  nomination: NominationView;
  answer: NominationAnswer;
  onClose: () => void;
  onAnswered: (n: NominationView) => void;
}) {
  const a = ANSWER[answer];
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      onAnswered(await api.respondToNomination(nomination.id, answer));
    } catch (err) {
      // 409: the nominator is no longer a Security Official (NOMINATION_LAPSED), or it was answered or expired.
      setError(messageOf(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={a.title} onClose={onClose}>
      <p>{a.explain(nomination)}</p>
      <ErrorNote error={error} />
      <div className="actions">
        <button type="button" className={a.className} disabled={busy} onClick={() => void confirm()}>
          {a.confirm}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          No, Cancel Action
        </button>
      </div>
    </Dialog>
  );
}

/** The nominee's pending nominations on Manage Access, each with Accept / Decline. */
export function MyNominations({ nominations, onAnswered }: { nominations: NominationView[]; onAnswered: (n: NominationView) => void }) {
  const [answering, setAnswering] = useState<{ nomination: NominationView; answer: NominationAnswer } | null>(null);
  return (
    <>
      <ul className="request-list">
        {nominations.map((n) => (
          <NominationRow key={n.id} n={n} onAnswer={(answer) => setAnswering({ nomination: n, answer })} />
        ))}
      </ul>
      {answering && (
        <AnswerNominationDialog
          nomination={answering.nomination}
          answer={answering.answer}
          onClose={() => setAnswering(null)}
          onAnswered={(n) => {
            setAnswering(null);
            onAnswered(n);
          }}
        />
      )}
    </>
  );
}

function NominationRow({ n, onAnswer }: { n: NominationView; onAnswer: (a: NominationAnswer) => void }) {
  const whatId = useId();
  return (
    <li className="request-row" data-testid="my-nomination">
      <div className="who" id={whatId}>
        <strong>{n.organization.name}</strong>
        <span className="muted">{identifierOf(n.organization)}</span>
        <span>
          {n.nominatedBy.displayName} nominated you to be a Security Official.
        </span>
        {n.message && <span className="justification">“{n.message}”</span>}
      </div>
      <div className="role">
        <span className="label">Answer by</span> {dateTime(n.expiresAt)}
        <br />
        <Link to={`/nominations/${n.id}`} aria-describedby={whatId}>
          Details
        </Link>
      </div>
      <div className="actions">
        <button type="button" className="primary small" onClick={() => onAnswer('accept')} aria-describedby={whatId}>
          Accept
        </button>
        <button type="button" className="secondary small" onClick={() => onAnswer('decline')} aria-describedby={whatId}>
          Decline
        </button>
      </div>
    </li>
  );
}
