import { useState, type FormEvent, type ReactNode } from 'react';
import { linkRefusal, passwordProblem, problems, refusalOf, useLinkToken } from '../account-rules';
import { api, ApiError, type LinkUsed } from '../api/client';
import { ErrorSummary, PasswordField, useFormErrors } from '../components/Form';
import { Link } from '../router';
import { PasswordPolicy } from './Register';

/** The email link `/reset-password#token=...`: a new password under the policy; every session of the account ends. */
export function ResetPassword() {
  const token = useLinkToken();
  return <ResetForm key={token ?? ''} token={token} />;
}

function ResetForm({ token }: { token: string | null }) {
  const [password, setPassword] = useState('');
  const { errors, focusKey, refuse } = useFormErrors();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<LinkUsed | null>(null);
  const [refused, setRefused] = useState<'unknown' | 'used' | 'expired' | 'missing' | 'disabled' | null>(token ? null : 'missing');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = problems({ password: passwordProblem(password) });
    refuse(found);
    if (Object.keys(found).length > 0 || !token) return;
    setBusy(true);
    try {
      setDone(await api.resetPassword(token, password));
    } catch (err) {
      const reason = linkRefusal(err);
      if (reason) setRefused(reason);
      else if (err instanceof ApiError && err.code === 'ACCOUNT_DISABLED') setRefused('disabled');
      else refuse(refusalOf(err, { password: 'password' }));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <Page>
        <Heading>Your password was changed</Heading>
        <section className="card success-panel" aria-label="What happens next">
          <p>
            You were signed out everywhere. Sign in as <strong className="mono-inline">{done.userId}</strong> with your new password.
          </p>
          <Link to="/sign-in" className="button-link">
            Sign in
          </Link>
        </section>
      </Page>
    );
  }
  if (refused) return <Refused reason={refused} />;
  return (
    <Page>
      <h1>Set a new password</h1>
      <p>Choose a new password for your account. Once it is set, every session of your account ends.</p>
      <ErrorSummary errors={errors} focusKey={focusKey} />
      <form onSubmit={submit} noValidate className="form card">
        <PasswordField
          id="password"
          label="New password"
          hint={<PasswordPolicy />}
          error={errors['password']}
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
        />
        <button type="submit" className="primary" disabled={busy}>
          Set new password
        </button>
      </form>
    </Page>
  );
}

function Refused({ reason }: { reason: 'unknown' | 'used' | 'expired' | 'missing' | 'disabled' }) {
  if (reason === 'disabled') {
    return (
      <Page>
        <Heading>This account is disabled</Heading>
        <div className="card">
          <p>Its password cannot be changed. Contact the Quality Payment Program (below) to have the account enabled.</p>
        </div>
      </Page>
    );
  }
  const [title, why] =
    reason === 'used'
      ? ['This link was used already', 'A reset link works once, and a newer link replaces an older one.']
      : reason === 'expired'
        ? ['This link has expired', 'A reset link works for 30 minutes.']
        : ['This link is not valid', reason === 'missing' ? 'The link has no reset code in it: open it from the email again.' : 'We do not know this link.'];
  return (
    <Page>
      <Heading>{title}</Heading>
      <div className="card">
        <p>{why} Ask for a new link to set your password.</p>
        <div className="actions">
          <Link to="/forgot-password" className="button-link">
            Get a new link
          </Link>
          <Link to="/sign-in">Sign in</Link>
        </div>
      </div>
    </Page>
  );
}

function Page({ children }: { children: ReactNode }) {
  return (
    <div className="sign-in">
      <p className="breadcrumb">Home / QPP Account / Reset password</p>
      {children}
    </div>
  );
}

function Heading({ children }: { children: string }) {
  return (
    <h1 tabIndex={-1} ref={(el) => el?.focus()}>
      {children}
    </h1>
  );
}
