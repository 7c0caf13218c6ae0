import { useId, useRef, useState, type FormEvent } from 'react';
import { STATEMENT_OF_TRUTH } from '@am/contracts';
import { api } from '../api/client';
import type { StoredSession } from '../api/session';
import { ErrorNote, messageOf } from '../components/ErrorNote';

/** Sign in, as the guides show it: user id, password and the Statement of Truth, then the security code. */
export function SignIn({ onSignedIn, notice }: { onSignedIn: (s: StoredSession) => void; notice?: string | null }) {
  const [step, setStep] = useState<'password' | 'code'>('password');
  const [userId, setUserId] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [agreed, setAgreed] = useState(false);
  const [code, setCode] = useState('');
  const [mfaToken, setMfaToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const sotId = useId();

  const submitPassword = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!userId.trim() || !password) return setError('Enter your User ID and Password.');
    if (!agreed) return setError('You must agree to the Statement of Truth to sign in.');
    setBusy(true);
    try {
      setMfaToken(await api.signIn(userId.trim(), password, agreed));
      setStep('code');
      setTimeout(() => codeRef.current?.focus(), 0);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const submitCode = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!/^\d{6}$/.test(code)) return setError('Enter the 6-digit security code from your authenticator app.');
    setBusy(true);
    try {
      onSignedIn(await api.completeMfa(mfaToken, code));
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <div className="sign-in">
      <p className="breadcrumb">Home / QPP Account</p>
      <h1>Sign in to QPP</h1>
      {notice && <p className="info-note">{notice}</p>}
      {step === 'password' ? (
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
          </div>
          <fieldset className="statement-of-truth" aria-describedby={sotId}>
            <legend>Statement of Truth</legend>
            <p id={sotId}>In order to sign in, you must agree to this: {STATEMENT_OF_TRUTH.text}</p>
            <label className="checkbox">
              <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.target.checked)} /> Yes, I agree.
            </label>
          </fieldset>
          <ErrorNote error={error} />
          <button type="submit" className="primary" disabled={busy}>
            Sign In
          </button>
        </form>
      ) : (
        <form onSubmit={submitCode} noValidate className="form card">
          <p>Enter the security code from your two-factor authentication app.</p>
          <div className="field">
            <label htmlFor="security-code">Security code</label>
            <input
              id="security-code"
              ref={codeRef}
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="\d{6}"
              maxLength={6}
              value={code}
              onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
              aria-describedby="security-code-hint"
            />
            <p id="security-code-hint" className="hint">
              6 digits
            </p>
          </div>
          <ErrorNote error={error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              Verify
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setStep('password');
                setCode('');
                setError(null);
              }}
            >
              Start over
            </button>
          </div>
        </form>
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
