import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ConnectedUserView, CoverageView, OrganizationSummary } from '@am/contracts';
import { api, ApiError, type NominationView } from '../api/client';
import { dateTime } from '../format';
import { Dialog } from './Dialog';
import { ErrorNote, messageOf } from './ErrorNote';
import { useToast } from './Toasts';

/** The guide's advice, word for word (seed 000, "Helpful Hint"). */
export const GUIDE_HINT = 'Consider adding a second (or third) Security Official to your organization to ensure someone is always available to approve role requests.';

/** The most a nominator's message may say (the API refuses more). */
const MESSAGE_MAX = 1000;
/** Connected users read for the choice of a Staff User: the API's largest page. */
const USERS_PAGE = 200;

/**
 * The banner a Security Official of a SINGLE organization sees: it hangs on one active Security
 * Official, the risk in the guide's words, and "Nominate a backup Security Official".
 */
export function SingleOfficialBanner({ organization, coverage }: { organization: OrganizationSummary; coverage: CoverageView }) {
  const headingId = useId();
  const [open, setOpen] = useState(false);
  const [sent, setSent] = useState<NominationView[]>([]);
  const inactive = coverage.securityOfficials - coverage.activeSecurityOfficials;
  return (
    <section className="coverage-banner" aria-labelledby={headingId} data-testid="coverage-banner" data-organization-id={organization.id}>
      <h2 id={headingId}>{organization.name} has only one active Security Official</h2>
      <p>
        You are the only Security Official of {organization.name} who can approve role requests
        {inactive > 0 ? ` (${inactive === 1 ? 'the other one has' : `the other ${inactive} have`} not signed in for a long time)` : ''}. If you are unavailable, nobody can approve
        or deny them. {GUIDE_HINT} There is no limit to the number of Security Officials your organization can have.
      </p>
      {sent.length > 0 && (
        <ul className="sent-nominations">
          {sent.map((n) => (
            <li key={n.id}>
              You nominated {n.nominee.displayName}: they have until {dateTime(n.expiresAt)} to accept.
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="primary" aria-describedby={headingId} onClick={() => setOpen(true)}>
        Nominate a backup Security Official
      </button>
      {open && <NominateDialog organization={organization} onClose={() => setOpen(false)} onNominated={(n) => setSent((s) => [...s, n])} />}
    </section>
  );
}

interface NominateErrors {
  nominee?: string;
  message?: string;
}

const OTHER = 'other';

/**
 * Nominate a backup: one of the organization's connected Staff Users, or any registered account by
 * its user ID; an optional message. Refusals show at the field they are about, in the API's words.
 */
export function NominateDialog({ organization, onClose, onNominated }: { organization: OrganizationSummary; onClose: () => void; onNominated: (n: NominationView) => void }) {
  const toast = useToast();
  const [staff, setStaff] = useState<ConnectedUserView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [choice, setChoice] = useState('');
  const [otherId, setOtherId] = useState('');
  const [message, setMessage] = useState('');
  const [errors, setErrors] = useState<NominateErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const otherRef = useRef<HTMLInputElement>(null);
  const firstChoiceRef = useRef<HTMLInputElement>(null);
  const messageRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    let live = true;
    api.organizationUsers(organization.id, { pageSize: USERS_PAGE }).then(
      (v) => {
        if (!live) return;
        const staffUsers = v.connectedUsers.items.filter((u) => u.role === 'STAFF_USER');
        setStaff(staffUsers);
        // With no Staff User to choose, the user ID is the only way.
        if (staffUsers.length === 0) setChoice(OTHER);
      },
      (err: unknown) => {
        if (!live) return;
        setLoadError(messageOf(err));
        setStaff([]);
        setChoice(OTHER);
      },
    );
    return () => {
      live = false;
    };
  }, [organization.id]);

  const focusNominee = () => (choice === OTHER ? otherRef.current : firstChoiceRef.current)?.focus();
  const show = (next: NominateErrors, focus: 'nominee' | 'message') => {
    setErrors(next);
    // Focus moves to the field that is refused; its error is read out with it.
    window.setTimeout(() => (focus === 'message' ? messageRef.current?.focus() : focusNominee()), 0);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const userId = choice === OTHER ? otherId.trim() : choice;
    if (!userId) {
      show({ nominee: choice === OTHER ? 'Enter the user ID of the person to nominate.' : 'Choose a Staff User, or enter the user ID of someone else.' }, 'nominee');
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const n = await api.nominate(organization.id, { userId, message: message.trim() || undefined });
      toast(`You nominated ${n.nominee.displayName} to be a Security Official of ${organization.name}. They are asked by email to accept or decline.`);
      onNominated(n);
      onClose();
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.field === 'message') show({ message: err.message }, 'message');
      // Unknown account (404 userId), the role already held or a nomination already waiting (409),
      // oneself: each is about the person named.
      else if (err instanceof ApiError && (err.field === 'userId' || err.status === 404 || err.status === 409 || err.code === 'VALIDATION_FAILED')) show({ nominee: err.message }, 'nominee');
      else setFormError(messageOf(err));
    }
  };

  const nomineeErrorId = 'nominee-error';
  return (
    <Dialog title="Nominate a backup Security Official" onClose={onClose}>
      <form onSubmit={submit} className="form" noValidate>
        <p>
          The person you nominate is asked by email to become a Security Official of {organization.name}. Once they accept, they can approve or deny its role
          requests as you do.
        </p>
        {staff === null ? (
          <p aria-busy="true">Loading the organization’s Staff Users…</p>
        ) : (
          <fieldset className={errors.nominee ? 'field has-error' : 'field'} aria-describedby={errors.nominee ? nomineeErrorId : undefined}>
            <legend>Who do you nominate?</legend>
            {loadError && <p className="hint">The organization’s Staff Users could not be listed ({loadError}): enter a user ID.</p>}
            {errors.nominee && (
              <p id={nomineeErrorId} className="field-error">
                <span className="sr-only">Error: </span>
                {errors.nominee}
              </p>
            )}
            {staff.length === 0 && !loadError && <p className="hint">{organization.name} has no connected Staff Users: enter the user ID of the person to nominate.</p>}
            {staff.map((u, i) => (
              <label key={u.user.id} className="choice">
                <input
                  ref={i === 0 ? firstChoiceRef : undefined}
                  type="radio"
                  name="nominee"
                  value={u.user.id}
                  checked={choice === u.user.id}
                  onChange={() => setChoice(u.user.id)}
                />
                <span>
                  {u.user.displayName} <span className="hint reason-reads">Staff User · {u.user.email}</span>
                </span>
              </label>
            ))}
            {staff.length > 0 && (
              <label className="choice">
                <input type="radio" name="nominee" value={OTHER} checked={choice === OTHER} onChange={() => setChoice(OTHER)} />
                <span>Someone else, by user ID</span>
              </label>
            )}
            {choice === OTHER && (
              <div className="field nested-field">
                <label htmlFor="nominee-user-id">User ID</label>
                <p id="nominee-user-id-hint" className="hint">
                  The user ID they sign in with. They need an account registered with the Quality Payment Program.
                </p>
                <input
                  id="nominee-user-id"
                  ref={otherRef}
                  autoCapitalize="none"
                  autoComplete="off"
                  spellCheck={false}
                  value={otherId}
                  onChange={(e) => setOtherId(e.target.value)}
                  aria-invalid={errors.nominee ? true : undefined}
                  aria-describedby={['nominee-user-id-hint', errors.nominee ? nomineeErrorId : ''].filter(Boolean).join(' ')}
                />
              </div>
            )}
          </fieldset>
        )}
        <div className={errors.message ? 'field has-error' : 'field'}>
          <label htmlFor="nomination-message">Message to them (optional)</label>
          {errors.message && (
            <p id="nomination-message-error" className="field-error">
              <span className="sr-only">Error: </span>
              {errors.message}
            </p>
          )}
          <textarea
            id="nomination-message"
            ref={messageRef}
            rows={3}
            maxLength={MESSAGE_MAX}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            aria-invalid={errors.message ? true : undefined}
            aria-describedby={errors.message ? 'nomination-message-error' : undefined}
          />
        </div>
        <ErrorNote error={formError} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || staff === null}>
            Send nomination
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
