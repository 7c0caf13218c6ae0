import { useEffect, useState } from 'react';
import { linkRefusal, useLinkToken } from '../account-rules';
import { api, ApiError, type LinkUsed } from '../api/client';
import { messageOf } from '../components/ErrorNote';
import { Link } from '../router';

type Outcome = { ok: LinkUsed } | { refused: 'unknown' | 'used' | 'expired' | 'missing' } | { error: string };

// A link works once: React's development double effects (and a remount) must not use it twice.
const attempts = new Map<string, Promise<Outcome>>();
function verifyOnce(token: string): Promise<Outcome> {
  let p = attempts.get(token);
  if (!p) {
    p = api.verifyEmail(token).then(
      (ok): Outcome => ({ ok }),
      (err: unknown): Outcome => {
        const refused = linkRefusal(err);
        if (refused) return { refused };
        return { error: err instanceof ApiError && err.code === 'THROTTLED' ? 'Too many attempts: wait a few minutes, then open the link again.' : messageOf(err) };
      },
    );
    attempts.set(token, p);
  }
  return p;
}

/** The email link `/verify-email#token=...`: verifies the address, then points to sign-in (or says why the link is refused). */
export function VerifyEmail() {
  const token = useLinkToken();
  return <VerifyLink key={token ?? ''} token={token} />;
}

function VerifyLink({ token }: { token: string | null }) {
  const [outcome, setOutcome] = useState<Outcome | null>(token ? null : { refused: 'missing' });
  useEffect(() => {
    if (!token) return;
    let live = true;
    void verifyOnce(token).then((o) => live && setOutcome(o));
    return () => {
      live = false;
    };
  }, [token]);

  if (!outcome) {
    return (
      <div className="sign-in">
        <h1>Verifying your email address…</h1>
        <p aria-busy="true">One moment.</p>
      </div>
    );
  }
  return (
    <div className="sign-in">
      <p className="breadcrumb">Home / QPP Account / Verify email address</p>
      {'ok' in outcome ? (
        <>
          <Heading>Your email address is verified</Heading>
          <section className="card success-panel" aria-label="What happens next">
            <p>
              Your user ID is <strong className="mono-inline">{outcome.ok.userId}</strong>.
            </p>
            <p>Sign in to set up two-factor authentication: you need an authenticator app on your phone or computer.</p>
            <Link to="/sign-in" className="button-link">
              Sign in
            </Link>
          </section>
        </>
      ) : 'refused' in outcome ? (
        <Refused reason={outcome.refused} />
      ) : (
        <>
          <Heading>Your email address could not be verified</Heading>
          <p className="error-note">{outcome.error}</p>
        </>
      )}
    </div>
  );
}

function Refused({ reason }: { reason: 'unknown' | 'used' | 'expired' | 'missing' }) {
  if (reason === 'used') {
    return (
      <>
        <Heading>This link was used already</Heading>
        <div className="card">
          <p>A verification link works once. If you opened it before, your email address is verified: sign in.</p>
          <p>If you registered again since, only the newest link works.</p>
          <Link to="/sign-in" className="button-link">
            Sign in
          </Link>
        </div>
      </>
    );
  }
  if (reason === 'expired') {
    return (
      <>
        <Heading>This link has expired</Heading>
        <div className="card">
          <p>A verification link works for 24 hours. To get a new one, register again with the same user ID, email address and password.</p>
          <Link to="/register" className="button-link">
            Register again
          </Link>
        </div>
      </>
    );
  }
  return (
    <>
      <Heading>This link is not valid</Heading>
      <div className="card">
        <p>
          {reason === 'missing' ? 'The link has no verification code in it.' : 'We do not know this link.'} Open the link from the email again, or copy the
          whole link into the address bar.
        </p>
        <p>To get a new link, register again with the same user ID, email address and password.</p>
        <Link to="/register" className="button-link">
          Register
        </Link>
      </div>
    </>
  );
}

/** The page's heading, focused when it appears so a screen reader reads the outcome first. */
function Heading({ children }: { children: string }) {
  return (
    <h1 tabIndex={-1} ref={(el) => el?.focus()}>
      {children}
    </h1>
  );
}
