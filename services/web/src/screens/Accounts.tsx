import { useEffect, useState, type FormEvent } from 'react';
import type { AccountView } from '@am/contracts';
import { api, ApiError } from '../api/client';
import { useAuth } from '../auth';
import { Dialog } from '../components/Dialog';
import { ErrorNote, messageOf } from '../components/ErrorNote';
import { useToast } from '../components/Toasts';
import { dateTime, plural } from '../format';
import { useRouter } from '../router';

type Action = 'disable' | 'enable' | 'reset-two-factor';

const ACTION: Record<Action, { button: string; title: string; confirm: string; explain: string; done: (a: AccountView) => string }> = {
  disable: {
    button: 'Disable account',
    title: 'Disable this account?',
    confirm: 'Yes, Disable Account',
    explain: 'The account cannot sign in until it is enabled again, and every session it has open ends now. Its owner is told by email.',
    done: (a) => `You disabled the account ${a.loginId}.`,
  },
  enable: {
    button: 'Enable account',
    title: 'Enable this account?',
    confirm: 'Yes, Enable Account',
    explain: 'The account can sign in again. Its owner is told by email.',
    done: (a) => `You enabled the account ${a.loginId}.`,
  },
  'reset-two-factor': {
    button: 'Reset two-factor',
    title: 'Reset this account’s two-factor authentication?',
    confirm: 'Yes, Reset Two-Factor',
    explain:
      'The account’s authenticator app and recovery codes stop working, and every session it has open ends now. The next time it signs in, it sets up two-factor authentication again. Its owner is told by email. Do this only once you have confirmed who is asking.',
    done: (a) => `You reset the two-factor authentication of ${a.loginId}.`,
  },
};

const MIN_REASON = 3;
const MAX_REASON = 500;

/**
 * The help desk's accounts: look one up by user id, see its state, and disable or enable it or reset
 * its two-factor, each with a reason that goes into the audit log.
 */
export function Accounts({ query }: { query: string }) {
  // The account in the address (?userId=): a look-up can be bookmarked, reloaded and gone back to.
  const wanted = new URLSearchParams(query).get('userId')?.trim() ?? '';
  return (
    <>
      <h1>Accounts</h1>
      <p>Find a person’s account by their user ID to see its state, disable or enable it, or reset its two-factor authentication. Each action is audited with your reason.</p>
      <AccountSearch key={`search ${wanted}`} current={wanted} />
      {wanted && <AccountLookup key={`account ${wanted}`} userId={wanted} />}
    </>
  );
}

function AccountSearch({ current }: { current: string }) {
  const { navigate } = useRouter();
  const [q, setQ] = useState(current);
  const [error, setError] = useState<string | null>(null);
  const search = (e: FormEvent) => {
    e.preventDefault();
    const id = q.trim();
    setError(null);
    if (!id) return setError('Enter a user ID.');
    if (id !== current) navigate(`/accounts?userId=${encodeURIComponent(id)}`);
  };
  return (
    <form onSubmit={search} noValidate className="form card" role="search" aria-label="Find an account">
      <div className="field">
        <label htmlFor="account-search">User ID</label>
        <div className="with-toggle">
          <input id="account-search" type="search" autoCapitalize="none" spellCheck={false} value={q} onChange={(e) => setQ(e.target.value)} />
          <button type="submit" className="secondary">
            Find account
          </button>
        </div>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}

function AccountLookup({ userId }: { userId: string }) {
  const [account, setAccount] = useState<AccountView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [acting, setActing] = useState<Action | null>(null);
  useEffect(() => {
    let live = true;
    api.account(userId).then(
      (a) => live && setAccount(a),
      (err: unknown) => live && setError(err instanceof ApiError && err.status === 404 ? `No account has the user ID “${userId}”.` : messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [userId]);

  if (error) return <ErrorNote error={error} />;
  if (!account) return <p aria-busy="true">Loading…</p>;
  return (
    <>
      <AccountCard account={account} onAct={setActing} />
      {acting && (
        <ActionDialog
          account={account}
          action={acting}
          onClose={() => setActing(null)}
          onDone={(a) => {
            setAccount(a);
            setActing(null);
            // The button that opened the dialog may be gone (Disable became Enable): focus the account instead.
            setTimeout(() => document.getElementById('account-heading')?.focus(), 0);
          }}
        />
      )}
    </>
  );
}

function AccountCard({ account: a, onAct }: { account: AccountView; onAct: (action: Action) => void }) {
  const { user } = useAuth();
  const self = a.id === user.id;
  return (
    <section className="section account" aria-labelledby="account-heading" data-testid="account">
      <div className="section-head">
        <h2 id="account-heading" tabIndex={-1}>
          {a.displayName}
        </h2>
        <span className={a.disabled ? 'badge badge-danger' : 'badge badge-ok'}>{a.disabled ? 'Disabled' : 'Active'}</span>
      </div>
      <dl className="facts">
        <div>
          <dt>User ID</dt>
          <dd className="mono-inline">{a.loginId}</dd>
        </div>
        <div>
          <dt>Email address</dt>
          <dd>
            {a.email} {a.emailVerified ? '(verified)' : '(not verified yet)'}
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{a.disabled ? `Disabled${a.disabledAt ? ` since ${dateTime(a.disabledAt)}` : ''}: cannot sign in` : 'Active: can sign in'}</dd>
        </div>
        <div>
          <dt>Two-factor authentication</dt>
          <dd>{a.twoFactorEnrolled ? `Set up; ${plural(a.recoveryCodesRemaining, 'recovery code')} left` : 'Not set up: sets it up at the next sign-in'}</dd>
        </div>
        <div>
          <dt>Platform role</dt>
          <dd>{a.platformRole === 'HELP_DESK' ? 'Help desk' : 'None'}</dd>
        </div>
        <div>
          <dt>Registered</dt>
          <dd>{dateTime(a.createdAt)}</dd>
        </div>
      </dl>
      {self ? (
        <p className="info-note">This is your own account: another member of the help desk must act on it.</p>
      ) : (
        <div className="actions">
          {a.disabled ? (
            <button type="button" className="secondary" onClick={() => onAct('enable')}>
              {ACTION.enable.button}
            </button>
          ) : (
            <button type="button" className="danger" onClick={() => onAct('disable')}>
              {ACTION.disable.button}
            </button>
          )}
          {a.twoFactorEnrolled && (
            <button type="button" className="secondary" onClick={() => onAct('reset-two-factor')}>
              {ACTION['reset-two-factor'].button}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

function ActionDialog({ account, action, onClose, onDone }: { account: AccountView; action: Action; onClose: () => void; onDone: (a: AccountView) => void }) {
  const toast = useToast();
  const spec = ACTION[action];
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const r = reason.trim();
    if (r.length < MIN_REASON || r.length > MAX_REASON) return setError(`Give a reason of ${MIN_REASON} to ${MAX_REASON} characters: it is recorded in the audit log.`);
    setBusy(true);
    try {
      const updated = await api.accountAction(account.id, action, r);
      onDone(updated);
      toast(spec.done(updated));
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={spec.title} onClose={onClose}>
      <form onSubmit={confirm} noValidate>
        <p>
          <strong>
            {account.displayName} ({account.loginId})
          </strong>
        </p>
        <p>{spec.explain}</p>
        <div className="field">
          <label htmlFor="account-reason">Reason (recorded in the audit log)</label>
          <textarea
            id="account-reason"
            rows={3}
            maxLength={MAX_REASON}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-describedby="account-reason-hint"
            aria-invalid={error ? true : undefined}
          />
          <p id="account-reason-hint" className="hint">
            {MIN_REASON} to {MAX_REASON} characters, for example the support ticket number
          </p>
        </div>
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" className={action === 'enable' ? 'primary' : 'danger'} disabled={busy}>
            {spec.confirm}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            No, Cancel Action
          </button>
        </div>
      </form>
    </Dialog>
  );
}
