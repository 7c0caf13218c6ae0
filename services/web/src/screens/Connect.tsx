import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ORG_ROLES, type OrganizationView, type OrgRole, type RoleRequestView } from '@am/contracts';
import { api } from '../api/client';
import { DenialExplained } from '../components/DenialExplained';
import { ErrorNote, messageOf } from '../components/ErrorNote';
import { identifierOf, ROLE_LABEL } from '../format';
import { Link } from '../router';
import { waitingFor } from './ManageAccess';

const isRole = (r: string | null): r is OrgRole => (ORG_ROLES as readonly string[]).includes(r ?? '');

/**
 * Connect to another organization: find it by name or identifier, choose a role, say why, submit.
 * "Request again" after a denial (issue 17) opens it as `?organizationId=&role=&again=`: the
 * organization and role prefilled, and a banner saying why the earlier request was denied.
 */
export function Connect({ query = '' }: { query?: string }) {
  const params = new URLSearchParams(query);
  const againId = params.get('again');
  const presetOrg = params.get('organizationId');
  const presetRole = params.get('role');
  const [q, setQ] = useState('');
  const [results, setResults] = useState<OrganizationView[] | null>(null);
  const [total, setTotal] = useState(0);
  const [orgId, setOrgId] = useState<string | null>(null);
  const [role, setRole] = useState<OrgRole | null>(isRole(presetRole) ? presetRole : null);
  const [justification, setJustification] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState<RoleRequestView | null>(null);
  const [earlier, setEarlier] = useState<RoleRequestView | null>(null);
  const needsJustification = earlier?.reasonCode === 'NEEDS_JUSTIFICATION';
  const bannerRef = useRef<HTMLHeadingElement>(null);
  const justificationRef = useRef<HTMLTextAreaElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  // The prefilled organization, and the denied request being asked again.
  useEffect(() => {
    let live = true;
    if (presetOrg) {
      api.organization(presetOrg).then(
        (o) => {
          if (!live) return;
          setResults([o]);
          setTotal(1);
          setOrgId(o.id);
        },
        (err: unknown) => live && setSearchError(`The organization of this link could not be found: ${messageOf(err)} Search for it instead.`),
      );
    }
    if (againId) {
      api.request(againId).then(
        (r) => live && r.status === 'DENIED' && setEarlier(r),
        () => undefined, // Not the caller's, or gone: the form still works without the banner.
      );
    }
    return () => {
      live = false;
    };
  }, [presetOrg, againId]);

  // Once both are shown: the justification it lacked, the search where the organization was wrong, else the banner.
  const formShown = results !== null;
  useEffect(() => {
    if (!earlier) return;
    if (earlier.reasonCode === 'NEEDS_JUSTIFICATION' && formShown) justificationRef.current?.focus();
    else if (earlier.reasonCode === 'WRONG_ORGANIZATION') searchRef.current?.focus();
    else bannerRef.current?.focus();
  }, [earlier, formShown]);

  const search = async (e: FormEvent) => {
    e.preventDefault();
    setSearchError(null);
    if (!q.trim()) return setSearchError('Enter an organization name or identifier (for example a 9-digit TIN).');
    try {
      const page = await api.searchOrganizations({ q: q.trim(), pageSize: 20 });
      setResults(page.items);
      setTotal(page.total);
      setOrgId(page.items.length === 1 ? page.items[0]!.id : null);
    } catch (err) {
      setSearchError(messageOf(err));
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!orgId) return setError('Choose an organization.');
    if (!role) return setError('Choose the role you are requesting.');
    if (needsJustification && !justification.trim()) {
      justificationRef.current?.focus();
      return setError('Say why you need this role: your earlier request was denied because it had no justification.');
    }
    setBusy(true);
    try {
      setSubmitted(await api.submitRequest({ organizationId: orgId, role, justification: justification.trim() || undefined }));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  if (submitted) {
    return (
      <>
        <h1>Connect to another organization</h1>
        <section className="card success-panel" aria-labelledby="submitted-heading">
          <h2 id="submitted-heading" tabIndex={-1} ref={(el) => el?.focus()}>
            Your request has been submitted
          </h2>
          <p>
            You asked for the {ROLE_LABEL[submitted.role]} role at {submitted.organization.name} ({identifierOf(submitted.organization)}).
          </p>
          <p>{waitingFor(submitted.approvers)}</p>
          {!waitingFor(submitted.approvers).endsWith('Quality Payment Program') && (
            <ul className="approvers" aria-label="Who can approve your request">
              {submitted.approvers.map((name) => (
                <li key={name}>{name}</li>
              ))}
            </ul>
          )}
          <p>You will be told by email when your request is decided.</p>
          <Link to="/manage-access" className="button-link">
            Back to Manage Access
          </Link>
        </section>
      </>
    );
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to="/manage-access">Manage Access</Link> / Connect to another organization
      </p>
      <h1>Connect to another organization</h1>
      {earlier && (
        <section className="card again-banner" aria-labelledby="again-heading" data-testid="request-again-banner">
          <h2 id="again-heading" tabIndex={-1} ref={bannerRef}>
            Your request for the {ROLE_LABEL[earlier.role]} role at {earlier.organization.name} was denied
          </h2>
          <DenialExplained request={earlier} />
        </section>
      )}
      <form onSubmit={search} className="form card" role="search">
        <div className="field">
          <label htmlFor="org-search">Organization name or identifier</label>
          <div className="with-toggle">
            <input id="org-search" ref={searchRef} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
            <button type="submit" className="secondary">
              Search
            </button>
          </div>
        </div>
        <ErrorNote error={searchError} />
      </form>

      {results && (
        <form onSubmit={submit} className="form card" aria-labelledby="request-heading">
          <h2 id="request-heading">Request a role</h2>
          {results.length === 0 ? (
            <p className="empty" role="status">
              No organization matches “{q}”.
            </p>
          ) : (
            <fieldset>
              <legend>
                Organization ({total} {total === 1 ? 'match' : 'matches'}
                {total > results.length ? `, showing ${results.length}: narrow your search` : ''})
              </legend>
              <ul className="choice-list">
                {results.map((o) => (
                  <li key={o.id}>
                    <label className="choice">
                      <input type="radio" name="organization" value={o.id} checked={orgId === o.id} onChange={() => setOrgId(o.id)} />
                      <span>
                        <strong>{o.name}</strong>
                        <span className="muted">
                          {' '}
                          {identifierOf(o)} | {o.address}
                        </span>
                        {o.sharedSavingsAco && <span className="muted"> (Shared Savings Program ACO: roles are managed in ACO-MS)</span>}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          )}
          <fieldset>
            <legend>Role</legend>
            {ORG_ROLES.map((r) => (
              <label key={r} className="choice">
                <input type="radio" name="role" value={r} checked={role === r} onChange={() => setRole(r)} /> {ROLE_LABEL[r]}
              </label>
            ))}
          </fieldset>
          <div className={needsJustification ? 'field emphasized' : 'field'}>
            <label htmlFor="justification">{needsJustification ? 'Why do you need this role? (required: the Security Official asked for it)' : 'Why do you need this role? (optional)'}</label>
            <textarea
              id="justification"
              ref={justificationRef}
              rows={3}
              maxLength={1000}
              value={justification}
              aria-required={needsJustification}
              onChange={(e) => setJustification(e.target.value)}
            />
          </div>
          <ErrorNote error={error} />
          <button type="submit" className="primary" disabled={busy || results.length === 0}>
            Submit request
          </button>
        </form>
      )}
    </>
  );
}
