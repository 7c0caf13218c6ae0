import { useEffect, useState, type ReactElement } from 'react';
import { api, onSessionEnded } from './api/client';
import { loadSession, saveSession, type StoredSession } from './api/session';
import { AuthContext, isHelpDesk, isSecurityOfficialAnywhere, useAuth } from './auth';
import { Notifications } from './components/Notifications';
import { SupportFooter } from './components/SupportFooter';
import { useToast } from './components/Toasts';
import { Link, match, useRouter } from './router';
import { AccessReview } from './screens/AccessReview';
import { AccessReviews } from './screens/AccessReviews';
import { Accounts } from './screens/Accounts';
import { Audit } from './screens/Audit';
import { Connect } from './screens/Connect';
import { Coverage } from './screens/Coverage';
import { EmailPreferences } from './screens/EmailPreferences';
import { ManageAccess } from './screens/ManageAccess';
import { Nomination } from './screens/Nomination';
import { OrganizationUsers } from './screens/OrganizationUsers';
import { ForgotPassword, ForgotUserId, Recover } from './screens/Recover';
import { Register } from './screens/Register';
import { ResetPassword } from './screens/ResetPassword';
import { SignIn } from './screens/SignIn';
import { VerifyEmail } from './screens/VerifyEmail';
import { WebhookScreen } from './screens/Webhook';
import { Webhooks } from './screens/Webhooks';

// Pages for people who are not signed in: registering and recovering an account.
const SELF_SERVICE = ['/register', '/forgot', '/forgot-user-id', '/forgot-password'];
// The emailed single-use links: they work in any tab, signed in or not.
const EMAIL_LINKS = ['/verify-email', '/reset-password'];
const pathOnly = (path: string) => path.split('?')[0] ?? '';

export function App() {
  const { path, navigate } = useRouter();
  const toast = useToast();
  const [session, setSession] = useState<StoredSession | null>(() => loadSession());
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(
    () =>
      onSessionEnded(() => {
        setSession(null);
        setNotice('Your session has ended. Sign in again to continue.');
      }),
    [],
  );

  // Screens behind sign-in go to the sign-in page, and back to where they were afterwards.
  useEffect(() => {
    const open = SELF_SERVICE.includes(pathOnly(path)) || EMAIL_LINKS.includes(pathOnly(path));
    if (!session && !path.startsWith('/sign-in') && !open) navigate(`/sign-in?next=${encodeURIComponent(path)}`, { replace: true });
    if (session && (path === '/' || path.startsWith('/sign-in'))) navigate(nextFrom(path), { replace: true });
    if (session && SELF_SERVICE.includes(pathOnly(path))) navigate('/manage-access', { replace: true });
  }, [session, path, navigate]);

  useEffect(() => {
    document.title = `${titleOf(path)} | Access Manager`;
  }, [path]);

  const signOut = async () => {
    await api.signOut().catch(() => undefined);
    setSession(null);
    setNotice(null);
    navigate('/sign-in', { replace: true });
    toast('You have signed out.', 'info');
  };

  // The roles the page knows (the navigation shows the audit log to Security Officials) follow a
  // role gained meanwhile, e.g. by accepting a nomination.
  const refreshUser = async () => {
    const me = await api.me().catch(() => null);
    const current = loadSession();
    if (!me || !current) return;
    const next = { ...current, user: me };
    saveSession(next);
    setSession(next);
  };

  const user = session?.user;
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to main content
      </a>
      <header className="site-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            QPP
          </span>
          <span>
            Access Manager <span className="brand-sub">Quality Payment Program</span>
          </span>
        </div>
        {user && (
          <div className="header-user">
            <Notifications />
            <span className="user-name">{user.displayName}</span>
            <Link to="/preferences" className="header-link" aria-current={path.startsWith('/preferences') ? 'page' : undefined}>
              Email preferences
            </Link>
            <button type="button" className="header-button" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <div className={user ? 'layout with-nav' : 'layout'}>
        {user && (
          <nav className="side-nav" aria-label="Main">
            <ul>
              <NavLink to="/manage-access" label="Manage Access" current={path.startsWith('/manage-access') || path.startsWith('/organizations')} />
              {!isHelpDesk(user) && <NavLink to="/connect" label="Connect to an organization" current={path.startsWith('/connect')} />}
              {isHelpDesk(user) && <NavLink to="/accounts" label="Accounts" current={path.startsWith('/accounts')} />}
              {isHelpDesk(user) && <NavLink to="/coverage" label="Coverage" current={path.startsWith('/coverage')} />}
              {isHelpDesk(user) && <NavLink to="/access-reviews" label="Access reviews" current={path.startsWith('/access-reviews')} />}
              {isHelpDesk(user) && <NavLink to="/webhooks" label="Webhooks" current={path.startsWith('/webhooks')} />}
              {(isHelpDesk(user) || isSecurityOfficialAnywhere(user)) && <NavLink to="/audit" label="Audit log" current={path.startsWith('/audit')} />}
            </ul>
          </nav>
        )}
        <main id="main" tabIndex={-1}>
          {!user ? (
            (publicScreen(path) ?? (
              <SignIn
                notice={notice}
                onSignedIn={(s) => {
                  setNotice(null);
                  setSession(s);
                }}
              />
            ))
          ) : (
            <AuthContext.Provider value={{ user, signOut, refreshUser }}>
              <Screen path={path} />
            </AuthContext.Provider>
          )}
        </main>
      </div>
      <SupportFooter />
    </>
  );
}

function NavLink({ to, label, current }: { to: string; label: string; current: boolean }) {
  return (
    <li>
      <Link to={to} aria-current={current ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );
}

/** The pages that need no sign-in; null for the sign-in page itself. */
function publicScreen(path: string): ReactElement | null {
  switch (pathOnly(path)) {
    case '/register':
      return <Register />;
    case '/forgot':
      return <Recover />;
    case '/forgot-user-id':
      return <ForgotUserId />;
    case '/forgot-password':
      return <ForgotPassword />;
    case '/verify-email':
      return <VerifyEmail />;
    case '/reset-password':
      return <ResetPassword />;
    default:
      return null;
  }
}

function Screen({ path }: { path: string }) {
  const { user } = useAuth();
  if (EMAIL_LINKS.includes(pathOnly(path))) return publicScreen(path);
  const users = match('/organizations/:orgId/users', path);
  if (users) return <OrganizationUsers key={users.orgId} orgId={users.orgId!} />;
  if (match('/manage-access', path)) return <ManageAccess />;
  // Keyed by the whole address: a "Request again" link opened from Connect itself starts afresh.
  if (match('/connect', path)) return <Connect key={path} query={path.split('?')[1] ?? ''} />;
  if (match('/audit', path)) return <Audit />;
  if (match('/preferences', path)) return <EmailPreferences />;
  if (match('/accounts', path) && isHelpDesk(user)) return <Accounts query={path.split('?')[1] ?? ''} />;
  if (match('/coverage', path) && isHelpDesk(user)) return <Coverage query={path.split('?')[1] ?? ''} />;
  if (match('/access-reviews', path) && isHelpDesk(user)) return <AccessReviews />;
  // Outbound webhooks (issue 20): the help desk's endpoints, and one endpoint with its deliveries.
  if (match('/webhooks', path) && isHelpDesk(user)) return <Webhooks />;
  const webhook = match('/webhooks/:webhookId', path);
  if (webhook && isHelpDesk(user)) return <WebhookScreen key={webhook.webhookId} id={webhook.webhookId!} />;
  // The link in the reviewers' emails: an organization's review (its Security Officials, the help desk) or a campaign (help desk).
  const review = match('/access-reviews/:reviewId', path);
  if (review) return <AccessReview key={review.reviewId} id={review.reviewId!} />;
  // The link in a nominee's email; signed out, sign-in comes back here (?next=).
  const nomination = match('/nominations/:nominationId', path);
  if (nomination) return <Nomination key={nomination.nominationId} nominationId={nomination.nominationId!} />;
  if (path.startsWith('/sign-in') || path === '/') return null;
  return (
    <>
      <h1>Page not found</h1>
      <p>
        <Link to="/manage-access">Go to Manage Access</Link>
      </p>
    </>
  );
}

function nextFrom(path: string): string {
  const next = new URLSearchParams(path.split('?')[1] ?? '').get('next');
  // Only paths of this site: never an absolute URL from the query string.
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') ? next : '/manage-access';
}

function titleOf(path: string): string {
  if (path.startsWith('/sign-in')) return 'Sign in';
  if (path.startsWith('/organizations')) return 'Connected Users';
  if (path.startsWith('/connect')) return 'Connect to another organization';
  if (path.startsWith('/audit')) return 'Audit log';
  if (path.startsWith('/accounts')) return 'Accounts';
  if (path.startsWith('/coverage')) return 'Coverage';
  if (path.startsWith('/nominations')) return 'Security Official nomination';
  if (path.startsWith('/access-reviews')) return 'Access reviews';
  if (path.startsWith('/webhooks/')) return 'Webhook endpoint';
  if (path.startsWith('/webhooks')) return 'Webhooks';
  if (path.startsWith('/preferences')) return 'Email preferences';
  const titles: Record<string, string> = {
    '/register': 'Register',
    '/forgot': 'Forgot user ID or password',
    '/forgot-user-id': 'Forgot user ID',
    '/forgot-password': 'Forgot password',
    '/verify-email': 'Verify email address',
    '/reset-password': 'Reset password',
  };
  const title = titles[pathOnly(path)];
  if (title) return title;
  return 'Manage Access';
}
