import { useRef, useState, type FormEvent } from 'react';
import { RECOVERY_CODE_COUNT } from '@am/contracts';
import { api, type TwoFactorSecret } from '../api/client';
import type { StoredSession } from '../api/session';
import { ErrorNote, messageOf } from '../components/ErrorNote';
import { SecurityCodeField } from '../components/Form';

/** An account's two-factor enrollment in progress: the sign-in's enrollment token and the secret issued for it. */
export interface Enrollment {
  token: string;
  secret: TwoFactorSecret;
}

/** "JBSW Y3DP EHPK 3PXP": the key in groups of four, easier to type into an app by hand. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

/**
 * Two-factor enrollment, in the sign-in: the new secret as a QR code, as an otpauth link and as a
 * key to type by hand; the first code from the app confirms it and finishes the sign-in.
 */
export function EnrollTwoFactor({
  enrollment,
  onConfirmed,
  onStartOver,
}: {
  enrollment: Enrollment;
  onConfirmed: (s: StoredSession & { recoveryCodes: string[] }) => void;
  onStartOver: () => void;
}) {
  const { secret } = enrollment;
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);

  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!/^\d{6}$/.test(code)) {
      codeRef.current?.focus();
      return setError('Enter the 6-digit security code your authenticator app shows now.');
    }
    setBusy(true);
    try {
      onConfirmed(await api.confirmTwoFactor(enrollment.token, code));
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
      codeRef.current?.focus();
    }
  };

  return (
    <section className="card enroll" aria-labelledby="enroll-heading">
      <h2 id="enroll-heading" tabIndex={-1} ref={(el) => el?.focus()}>
        Set up two-factor authentication
      </h2>
      <p>
        Your account needs a second factor: a security code from an authenticator app on your phone or computer (for example Google Authenticator, Microsoft
        Authenticator or 1Password). You enter a new code each time you sign in.
      </p>
      <ol className="steps">
        <li>
          <h3>Add your account to the app</h3>
          <p>Scan this QR code with the app:</p>
          <img className="qr-code" src={secret.qrCode} width={240} height={240} alt={`QR code that adds ${secret.accountName} at ${secret.issuer} to an authenticator app`} />
          <p>
            On this device? <a href={secret.otpauthUri}>Open the setup link in your authenticator app</a>.
          </p>
          <p>Cannot scan it? Choose to enter a setup key in the app, and type:</p>
          <dl className="setup-key">
            <dt>Account</dt>
            <dd>
              {secret.issuer}: {secret.accountName}
            </dd>
            <dt>Key</dt>
            <dd className="mono" data-testid="totp-secret">
              {grouped(secret.secret)}
            </dd>
            <dt>Type of key</dt>
            <dd>Time based (TOTP), 6 digits, every 30 seconds</dd>
          </dl>
          <details>
            <summary>Show the setup link (otpauth URI)</summary>
            <p className="mono" data-testid="otpauth-uri">
              {secret.otpauthUri}
            </p>
          </details>
          <p className="hint">This key is shown only now. Keep it secret: anyone who has it can make your security codes.</p>
        </li>
        <li>
          <h3>Enter the code the app shows</h3>
          <form onSubmit={confirm} noValidate className="form">
            <SecurityCodeField id="enroll-code" hint="6 digits, from the app you just set up" value={code} onChange={setCode} ref={codeRef} invalid={!!error} />
            <ErrorNote error={error} />
            <div className="actions">
              <button type="submit" className="primary" disabled={busy}>
                Verify and finish setup
              </button>
              <button type="button" className="secondary" onClick={onStartOver}>
                Start over
              </button>
            </div>
          </form>
        </li>
      </ol>
    </section>
  );
}

/**
 * The recovery codes, shown once: each replaces a security code once. The person copies, downloads
 * or writes them down, and says so, before going on.
 */
export function RecoveryCodes({ codes, loginId, onContinue }: { codes: string[]; loginId: string; onContinue: () => void }) {
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');

  const text = () =>
    [
      `Access Manager recovery codes for ${loginId}`,
      `Created ${new Date().toISOString().slice(0, 10)}. Each code works once, in place of a security code, when you sign in.`,
      '',
      ...codes,
      '',
    ].join('\n');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text());
      setStatus('The recovery codes are copied to the clipboard.');
    } catch {
      setStatus('This browser did not allow copying: download the codes or write them down.');
    }
  };
  const download = () => {
    const url = URL.createObjectURL(new Blob([text()], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'access-manager-recovery-codes.txt';
    a.click();
    URL.revokeObjectURL(url);
    setStatus('The recovery codes are downloaded as access-manager-recovery-codes.txt.');
  };
  const go = (e: FormEvent) => {
    e.preventDefault();
    if (!saved) return setError('Confirm that you saved your recovery codes: they are not shown again.');
    onContinue();
  };

  return (
    <section className="card" aria-labelledby="codes-heading">
      <h2 id="codes-heading" tabIndex={-1} ref={(el) => el?.focus()}>
        Save your recovery codes
      </h2>
      <p className="success-line">Two-factor authentication is set up.</p>
      <p>
        If you lose your phone or cannot use your authenticator app, sign in with one of these {RECOVERY_CODE_COUNT} recovery codes instead of a security
        code. <strong>Each code works once, and they are shown only now.</strong> Keep them somewhere safe, such as a password manager.
      </p>
      <ol className="recovery-codes" aria-label="Recovery codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c} className="mono">
            {c}
          </li>
        ))}
      </ol>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void copy()}>
          Copy codes
        </button>
        <button type="button" className="secondary" onClick={download}>
          Download as text
        </button>
      </div>
      <p role="status" className="hint">
        {status}
      </p>
      <form onSubmit={go} noValidate className="form recovery-ack">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={saved}
            onChange={(e) => {
              setSaved(e.target.checked);
              setError(null);
            }}
          />{' '}
          I have saved my recovery codes somewhere safe.
        </label>
        <ErrorNote error={error} />
        <button type="submit" className="primary">
          Continue
        </button>
      </form>
    </section>
  );
}
