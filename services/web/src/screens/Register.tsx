import { useState, type FormEvent } from 'react';
import { PASSWORD_POLICY } from '@am/contracts';
import { emailProblem, passwordProblem, problems, refusalOf, USER_ID_HINT, userIdProblem } from '../account-rules';
import { api } from '../api/client';
import { ErrorSummary, PasswordField, TextField, useFormErrors } from '../components/Form';
import { Link } from '../router';

const FIELDS = { userId: 'user-id', displayName: 'display-name', email: 'email', password: 'password' };

/**
 * Register for an account: user id, name, email address and a password under the stated policy.
 * The account can sign in once its email address is verified by the emailed link.
 */
export function Register() {
  const [form, setForm] = useState({ userId: '', displayName: '', email: '', password: '' });
  const { errors, focusKey, refuse } = useFormErrors();
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const a = { userId: form.userId.trim(), displayName: form.displayName.trim(), email: form.email.trim(), password: form.password };
    const found = problems({
      [FIELDS.userId]: userIdProblem(a.userId),
      [FIELDS.displayName]: !a.displayName ? 'Enter your name.' : a.displayName.length > 100 ? 'Your name must be at most 100 characters.' : undefined,
      [FIELDS.email]: emailProblem(a.email),
      [FIELDS.password]: passwordProblem(a.password, a.userId),
    });
    refuse(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await api.register(a);
      setSentTo(a.email);
    } catch (err) {
      refuse(refusalOf(err, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  if (sentTo) {
    return (
      <div className="sign-in">
        <p className="breadcrumb">Home / QPP Account / Register</p>
        <h1 tabIndex={-1} ref={(el) => el?.focus()}>
          Check your email
        </h1>
        <section className="card success-panel" aria-label="What happens next">
          <p>
            We sent a message to <strong>{sentTo}</strong>. Open the link in it to verify your email address and finish registering. The link works once,
            for 24 hours.
          </p>
          <p>You can sign in once your email address is verified. The first time you sign in, you set up two-factor authentication.</p>
          <p className="muted">
            No message? Check your spam or junk folder. To get a new link, register again with the same user ID, email address and password. If this address
            already belongs to an account, we tell that account’s owner instead.
          </p>
          <Link to="/sign-in" className="button-link">
            Go to sign in
          </Link>
        </section>
      </div>
    );
  }

  return (
    <div className="sign-in">
      <p className="breadcrumb">Home / QPP Account / Register</p>
      <h1>Register for an account</h1>
      <p>
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
      <ErrorSummary errors={errors} focusKey={focusKey} />
      <form onSubmit={submit} noValidate className="form card">
        <TextField
          id={FIELDS.userId}
          label="User ID"
          hint={`You sign in with it. ${USER_ID_HINT}`}
          error={errors[FIELDS.userId]}
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={form.userId}
          onChange={(e) => set('userId')(e.target.value)}
        />
        <TextField
          id={FIELDS.displayName}
          label="Full name"
          hint="As Security Officials and the help desk will see it."
          error={errors[FIELDS.displayName]}
          name="name"
          autoComplete="name"
          maxLength={100}
          value={form.displayName}
          onChange={(e) => set('displayName')(e.target.value)}
        />
        <TextField
          id={FIELDS.email}
          label="Email address"
          hint="We send a link to verify it. Decisions on your requests are emailed here too."
          error={errors[FIELDS.email]}
          type="email"
          name="email"
          autoComplete="email"
          spellCheck={false}
          value={form.email}
          onChange={(e) => set('email')(e.target.value)}
        />
        <PasswordField
          id={FIELDS.password}
          label="Password"
          hint={<PasswordPolicy />}
          error={errors[FIELDS.password]}
          autoComplete="new-password"
          value={form.password}
          onChange={set('password')}
        />
        <button type="submit" className="primary" disabled={busy}>
          Register
        </button>
      </form>
    </div>
  );
}

/** The stated password policy (PASSWORD_POLICY), shown with every field that sets a password. */
export function PasswordPolicy() {
  return (
    <>
      <span>Password policy:</span>
      <ul className="policy">
        <li>
          at least {PASSWORD_POLICY.minLength} and at most {PASSWORD_POLICY.maxLength} characters;
        </li>
        <li>not a commonly used password;</li>
        <li>not containing your user ID.</li>
      </ul>
      <span>A passphrase of several unrelated words is easy to remember and hard to guess.</span>
    </>
  );
}
