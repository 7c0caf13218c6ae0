import { useId, useRef, useState, type FormEvent } from 'react';
import { STATEMENT_OF_TRUTH } from '@am/contracts';
import { api, ApiError } from '../api/client';
import { saveSession, type StoredSession } from '../api/session';
import { messageOf } from '../components/ErrorNote';
import { SecurityCodeField } from '../components/Form';
import { useToast } from '../components/Toasts';
import { plural } from '../format';
import { Link } from '../router';
import { EnrollTwoFactor, RecoveryCodes, type Enrollment } from './TwoFactor';

type Step =
  | { name: 'password' }
  | { name: 'code'; mfaToken: string }
  | { name: 'enroll'; enrollment: Enrollment }
  | { name: 'recovery-codes'; session: StoredSession; codes: string[] };

/**
 * Sign in, as the guides show it: user id, password and the Statement of Truth, then the security
 * code (or one of the recovery codes). An account without a second factor yet (new, or reset by
 * the help desk) sets up its authenticator app here first, and is shown its recovery codes once.
 */
export function SignIn({ onSignedIn, notice }: { onSignedIn: (s: StoredSession) => void; notice?: string | null }) {
  const toast = useToast();
  const [step, setStep] = useState<Step>({ name: 'password' });
  const [userId, setUserId] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [agreed, setAgreed] = useState(false);
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const [error, setError] = useState<{ text: string; register?: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const sotId = useId();

  const startOver = () => {
    setStep({ name: 'password' });
    setCode('');
    setRecoveryCode('');
    setUseRecovery(false);
    setError(null);
  };

  const submitPassword = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!userId.trim() || !password) return setError({ text: 'Enter your User ID and Password.' });
    if (!agreed) return setError({ text: 'You must agree to the Statement of Truth to sign in.' });
    setBusy(true);
    try {
      const next = await api.signIn(userId.trim(), password, agreed);
      if (next.next === 'mfa') {
        setStep({ name: 'code', mfaToken: next.mfaToken });
        setTimeout(() => codeRef.current?.focus(), 0);
      } else {
        // Issued here, in the handler: a new secret replaces the previous one, so it is asked for once.
        const secret = await api.enrollTwoFactor(next.enrollmentToken);
        setStep({ name: 'enroll', enrollment: { token: next.enrollmentToken, secret } });
      }
    } catch (err) {
      setError(signInRefusal(err));
    } finally {
      setBusy(false);
    }
  };

  const submitCode = async (e: FormEvent) => {
    e.preventDefault();
    if (step.name !== 'code') return;
    setError(null);
    const second = useRecovery ? { recoveryCode: recoveryCode.trim() } : { code };
    if (useRecovery && !recoveryCode.trim()) return setError({ text: 'Enter one of your recovery codes.' });
    if (!useRecovery && !/^\d{6}$/.test(code)) return setError({ text: 'Enter the 6-digit security code from your authenticator app.' });
    setBusy(true);
    try {
      const s = await api.completeMfa(step.mfaToken, second);
      if (s.recoveryCodesRemaining !== undefined) {
        const n = s.recoveryCodesRemaining;
        toast(
          `You signed in with a recovery code, which cannot be used again. ${n === 0 ? 'You have no recovery codes left' : `You have ${plural(n, 'recovery code')} left`}.` +
            (n <= 3 ? ' To get new ones, ask the help desk to reset your two-factor authentication, then set it up again.' : ''),
          'info',
        );
      }
      onSignedIn(s);
    } catch (err) {
      setError({ text: messageOf(err) });
      setBusy(false);
    }
  };

  const switchSecondFactor = () => {
    setUseRecovery((v) => !v);
    setError(null);
    setTimeout(() => codeRef.current?.focus(), 0);
  };

  return (
    <div className="sign-in">
      <p className="breadcrumb">Home / QPP Account</p>
      <h1>Sign in to QPP</h1>
      {notice && <p className="info-note">{notice}</p>}
      {step.name === 'password' && (
        <>
          <form onSubmit={submitPassword} noValidate className="form card">
            <div className="field">
              <label htmlFor="user-id">User ID</label>
              <input id="user-id" name="username" autoComplete="username" value={userId} onChange={(e) => setUserId(e.target.value)} required />
            </div>
            <div className="field">
              <label htmlFor="password">Password</label>
              <div className="with-toggle">
                <input
                  id="password"
                  name="password"
                  type={showPassword ? 'text' : 'password'}
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  required
                />
                <button type="button" className="link-button" aria-pressed={showPassword} aria-controls="password" onClick={() => setShowPassword((v) => !v)}>
                  {showPassword ? 'Hide password' : 'Show password'}
                </button>
              </div>
              <p className="hint-link">
                <Link to="/forgot">Forgot user ID or password</Link>
              </p>
            </div>
            <fieldset className="statement-of-truth" aria-describedby={sotId}>
              <legend>Statement of Truth</legend>
              <p id={sotId}>In order to sign in, you must agree to this: {STATEMENT_OF_TRUTH.text}</p>
              <label className="checkbox">
                <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.target.checked)} /> Yes, I agree.
              </label>
            </fieldset>
            <SignInError error={error} />
            <div className="actions">
              <button type="submit" className="primary" disabled={busy}>
                Sign In
              </button>
              <span>
                Don’t have an account? <Link to="/register">Register</Link>
              </span>
            </div>
          </form>
          <section className="card" aria-labelledby="new-users-heading">
            <h2 id="new-users-heading">New users</h2>
            <p>
              <Link to="/register">Register</Link> for an account with a user ID, your name, your email address and a password. Once you verify your email
              address, sign in here and set up two-factor authentication with an authenticator app.
            </p>
          </section>
        </>
      )}
      {step.name === 'code' && (
        <form onSubmit={submitCode} noValidate className="form card">
          {useRecovery ? (
            <>
              <p>Enter one of the recovery codes you saved when you set up two-factor authentication. Each code works once.</p>
              <div className="field">
                <label htmlFor="recovery-code">Recovery code</label>
                <input
                  id="recovery-code"
                  ref={codeRef}
                  autoComplete="off"
                  autoCapitalize="characters"
                  spellCheck={false}
                  maxLength={40}
                  value={recoveryCode}
                  onChange={(e) => setRecoveryCode(e.target.value)}
                  aria-describedby="recovery-code-hint"
                />
                <p id="recovery-code-hint" className="hint">
                  For example 7K3M-Q9XD-2HVT-B6RA
                </p>
              </div>
            </>
          ) : (
            <>
              <p>Enter the security code from your two-factor authentication app.</p>
              <SecurityCodeField id="security-code" hint="6 digits" value={code} onChange={setCode} ref={codeRef} />
            </>
          )}
          <p>
            <button type="button" className="link-button" onClick={switchSecondFactor}>
              {useRecovery ? 'Use a security code instead' : 'Use a recovery code instead'}
            </button>
          </p>
          <SignInError error={error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              Verify
            </button>
            <button type="button" className="secondary" onClick={startOver}>
              Start over
            </button>
          </div>
        </form>
      )}
      {step.name === 'enroll' && (
        <EnrollTwoFactor
          enrollment={step.enrollment}
          onConfirmed={({ recoveryCodes, ...session }) => setStep({ name: 'recovery-codes', session, codes: recoveryCodes })}
          onStartOver={startOver}
        />
      )}
      {step.name === 'recovery-codes' && (
        <RecoveryCodes
          codes={step.codes}
          loginId={step.session.user.loginId}
          onContinue={() => {
            // The page keeps the session only now: until the codes are acknowledged, the app stays on this step.
            saveSession(step.session);
            onSignedIn(step.session);
          }}
        />
      )}
      <section className="federal-notice" aria-label="Federal system notice">
        <p>
          By entering authentication information, you are attempting to access a United States Federal Government information system. This system is for the use of
          authorized users only.
        </p>
        <p>
          System usage may be monitored, recorded, and subject to audit. By accessing this system, you are consenting to having your activities to be monitored,
          recorded, and made available to auditors or law enforcement officials.
        </p>
        <p>
          Unauthorized use of this information system or use in excess of your approved authority is prohibited, and may be subject to disciplinary action including
          criminal or civil penalties.
        </p>
      </section>
    </div>
  );
}

/** Why the password step was refused, in words for the person; a disabled account or an unverified address is said plainly. */
function signInRefusal(err: unknown): { text: string; register?: boolean } {
  if (err instanceof ApiError && err.code === 'EMAIL_NOT_VERIFIED') {
    return {
      text: 'Your email address is not verified yet. Open the link in the email we sent when you registered. If the link has expired, register again with the same user ID, email address and password to get a new one.',
      register: true,
    };
  }
  if (err instanceof ApiError && err.code === 'ACCOUNT_DISABLED') {
    return { text: 'This account is disabled, so it cannot sign in. Contact the Quality Payment Program (below) to have it enabled.' };
  }
  return { text: messageOf(err) };
}

function SignInError({ error }: { error: { text: string; register?: boolean } | null }) {
  if (!error) return null;
  return (
    <div className="error-note" role="alert">
      <p>{error.text}</p>
      {error.register && (
        <p>
          <Link to="/register">Register again</Link>
        </p>
      )}
    </div>
  );
}
