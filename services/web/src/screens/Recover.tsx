import { useState, type FormEvent, type ReactNode } from 'react';
import { emailProblem, problems, refusalOf } from '../account-rules';
import { api } from '../api/client';
import { ErrorSummary, TextField, useFormErrors } from '../components/Form';
import { Link } from '../router';

/** "Forgot user ID or password" (the sign-in page's link): which one to recover. */
export function Recover() {
  return (
    <div className="sign-in">
      <p className="breadcrumb">Home / QPP Account / Recover</p>
      <h1>Forgot user ID or password</h1>
      <ul className="choice-cards">
        <li className="card">
          <h2>
            <Link to="/forgot-user-id">I forgot my user ID</Link>
          </h2>
          <p>Enter the email address of your account, and we email your user ID to it.</p>
        </li>
        <li className="card">
          <h2>
            <Link to="/forgot-password">I forgot my password</Link>
          </h2>
          <p>Enter your user ID, and we email a link to set a new password to the address of your account.</p>
        </li>
      </ul>
      <p>
        Lost the phone with your authenticator app? Sign in with one of your recovery codes, or contact the Quality Payment Program (below) to have your
        two-factor authentication reset.
      </p>
      <p>
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </div>
  );
}

/** Emails the user id to the address, if an account uses it; the answer is the same either way. */
export function ForgotUserId() {
  const [email, setEmail] = useState('');
  return (
    <OneFieldRequest
      crumb="Forgot user ID"
      title="Forgot your user ID?"
      intro="Enter the email address of your account. If an account uses it, we email its user ID there."
      sentTitle="Check your email"
      check={() => problems({ email: emailProblem(email.trim()) })}
      send={() => api.forgotUserId(email.trim())}
      apiField="email"
      after={
        <p>
          Forgot your password too? <Link to="/forgot-password">Reset your password</Link> once you have your user ID.
        </p>
      }
    >
      {(error) => (
        <TextField
          id="email"
          label="Email address"
          error={error}
          type="email"
          name="email"
          autoComplete="email"
          spellCheck={false}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      )}
    </OneFieldRequest>
  );
}

/** Emails a single-use reset link to the account with this user id, if there is one; the answer is the same either way. */
export function ForgotPassword() {
  const [userId, setUserId] = useState('');
  return (
    <OneFieldRequest
      crumb="Forgot password"
      title="Forgot your password?"
      intro="Enter your user ID. If it belongs to an account that can sign in, we email a link to set a new password to the account’s email address. The link works once, for 30 minutes."
      sentTitle="Check your email"
      check={() => problems({ 'user-id': userId.trim() ? undefined : 'Enter your user ID.' })}
      send={() => api.forgotPassword(userId.trim())}
      apiField="userId"
      after={
        <p>
          Forgot your user ID? <Link to="/forgot-user-id">Get it by email</Link>.
        </p>
      }
    >
      {(error) => (
        <TextField
          id="user-id"
          label="User ID"
          error={error}
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
        />
      )}
    </OneFieldRequest>
  );
}

/** A form of one field whose answer is "if it exists, it is on its way": the API's own words. */
function OneFieldRequest({
  crumb,
  title,
  intro,
  sentTitle,
  check,
  send,
  apiField,
  after,
  children,
}: {
  crumb: string;
  title: string;
  intro: string;
  sentTitle: string;
  check: () => Record<string, string>;
  send: () => Promise<{ message: string }>;
  apiField: string;
  after: ReactNode;
  children: (error: string | undefined) => ReactNode;
}) {
  const { errors, focusKey, refuse } = useFormErrors();
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const inputId = apiField === 'email' ? 'email' : 'user-id';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = check();
    refuse(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      setSent((await send()).message);
    } catch (err) {
      refuse(refusalOf(err, { [apiField]: inputId }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sign-in">
      <p className="breadcrumb">
        Home / QPP Account / <Link to="/forgot">Recover</Link> / {crumb}
      </p>
      {sent ? (
        <>
          <h1 tabIndex={-1} ref={(el) => el?.focus()}>
            {sentTitle}
          </h1>
          <section className="card success-panel" aria-label="What happens next">
            <p>{sent}</p>
            <p className="muted">No message after a few minutes? Check your spam or junk folder, and that you typed it as your account has it.</p>
            <Link to="/sign-in" className="button-link">
              Go to sign in
            </Link>
          </section>
        </>
      ) : (
        <>
          <h1>{title}</h1>
          <p>{intro}</p>
          <ErrorSummary errors={errors} focusKey={focusKey} />
          <form onSubmit={submit} noValidate className="form card">
            {children(errors[inputId])}
            <button type="submit" className="primary" disabled={busy}>
              Send
            </button>
          </form>
          {after}
          <p>
            <Link to="/sign-in">Back to sign in</Link>
          </p>
        </>
      )}
    </div>
  );
}
