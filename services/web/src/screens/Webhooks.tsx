import { useEffect, useState, type FormEvent } from 'react';
import type { Page, WebhookEventType, WebhookView, WebhookWithSecret } from '@am/contracts';
import { api, ApiError } from '../api/client';
import { ErrorSummary, TextField, useFormErrors, type FieldErrors } from '../components/Form';
import { messageOf } from '../components/ErrorNote';
import { OrganizationSearchField, useOrganizationSearch } from '../components/OrganizationSearch';
import { Pager } from '../components/Pager';
import { EventCheckboxes, SecretPanel, WebhookOrganization, WebhookStatusBadge } from '../components/Webhooks';
import { dateTime } from '../format';
import { Link } from '../router';

const PAGE_SIZE = 20;
export const DESCRIPTION_MAX = 500;
const URL_MAX = 2048;

/** The form's inputs by the API's field names, so a refusal's `error.field` lands beside its input. */
const FIELDS = { url: 'webhook-url', events: 'webhook-events', organizationId: 'webhook-org-search', description: 'webhook-description' } as const;
const fieldOf = (f: string | undefined): string | undefined => (f && f in FIELDS ? FIELDS[f as keyof typeof FIELDS] : undefined);

/** Whether `url` is a web address at all (the API decides the rest: https in production, no private address). */
export function urlProblem(url: string): string | null {
  if (!url) return 'Enter the endpoint’s URL.';
  if (url.length > URL_MAX) return `The URL must be at most ${URL_MAX} characters.`;
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'Enter a web address that starts with https://.';
  } catch {
    return 'Enter a full web address, for example https://registry.example.org/hooks.';
  }
  return null;
}

/**
 * The help desk's outbound webhooks (issue 20): the endpoints other systems registered to hear about
 * changes, and "Add endpoint", which shows the new endpoint's signing secret once.
 */
export function Webhooks() {
  const [page, setPage] = useState(1);
  const [list, setList] = useState<Page<WebhookView> | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A new endpoint reloads the list (the first page, where it may appear).
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    api.webhooks({ page, pageSize: PAGE_SIZE }).then(
      (v) => {
        if (!live) return;
        setList(v);
        setError(null);
      },
      (err: unknown) => live && setError(messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [page, generation]);

  const pages = list ? Math.max(1, Math.ceil(list.total / list.pageSize)) : 1;
  return (
    <>
      <h1>Webhooks</h1>
      <p>
        Other systems hear about changes through webhooks: each event they subscribe to is sent to their endpoint, signed with the endpoint’s secret (Standard
        Webhooks), and retried until it is delivered. An endpoint whose deliveries have all failed for a day is paused: its events are held and sent
        when it resumes. One that answers 410 Gone is disabled and gets no events until it is resumed.
      </p>
      <AddEndpoint
        onAdded={() => {
          setPage(1);
          setGeneration((g) => g + 1);
        }}
      />
      <section className="section" aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading">Endpoints{list ? ` (${list.total})` : ''}</h2>
        {error && (
          <p className="error-note" role="alert">
            {error}
          </p>
        )}
        {!list ? (
          !error && <p aria-busy="true">Loading…</p>
        ) : list.items.length === 0 ? (
          <p className="empty">No endpoint is registered.</p>
        ) : (
          // A scrolling table must be reachable by keyboard (WCAG 2.1.1), so its region takes focus.
          // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="endpoints-heading">
            <table className="webhooks-table">
              <caption className="sr-only">
                Webhook endpoints, page {list.page} of {pages}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Events</th>
                  <th scope="col">Organization</th>
                  <th scope="col">Status</th>
                  <th scope="col">Failing since</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((w) => (
                  <tr key={w.id} data-testid="webhook-row" data-webhook-id={w.id}>
                    <th scope="row">
                      <Link to={`/webhooks/${w.id}`} className="endpoint-url">
                        {w.url}
                      </Link>
                      {w.description && <span className="muted block">{w.description}</span>}
                    </th>
                    <td>
                      <ul className="event-names">
                        {w.events.map((e) => (
                          <li key={e} className="mono-inline">
                            {e}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>
                      <WebhookOrganization organizationId={w.organizationId} />
                    </td>
                    <td>
                      <WebhookStatusBadge webhook={w} />
                    </td>
                    <td>{w.failingSince ? dateTime(w.failingSince) : <span className="muted">Not failing</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager label="Endpoints pages" page={page} pages={pages} onPage={setPage} />
      </section>
    </>
  );
}

type Scope = 'all' | 'one';

/** "Add endpoint": its URL, the events it hears, all organizations or one, and a description; then its secret, once. */
function AddEndpoint({ onAdded }: { onAdded: () => void }) {
  const { errors, focusKey, refuse } = useFormErrors();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([]);
  const [scope, setScope] = useState<Scope>('all');
  const orgSearch = useOrganizationSearch();
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<WebhookWithSecret | null>(null);

  const find = async () => {
    const problem = await orgSearch.find();
    refuse(problem ? { [FIELDS.organizationId]: problem } : {});
  };

  const check = (): FieldErrors => {
    const found: FieldErrors = {};
    const u = urlProblem(url.trim());
    if (u) found[FIELDS.url] = u;
    if (events.length === 0) found[FIELDS.events] = 'Choose at least one event to send.';
    if (scope === 'one' && !orgSearch.orgId) found[FIELDS.organizationId] = orgSearch.results?.length ? 'Choose the organization.' : 'Find the organization.';
    if (description.trim().length > DESCRIPTION_MAX) found[FIELDS.description] = `The description must be at most ${DESCRIPTION_MAX} characters.`;
    return found;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = check();
    refuse(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const w = await api.createWebhook({
        url: url.trim(),
        events,
        organizationId: scope === 'one' ? orgSearch.orgId! : undefined,
        description: description.trim() || undefined,
      });
      setCreated(w);
      setUrl('');
      setEvents([]);
      setScope('all');
      orgSearch.type('');
      setDescription('');
      onAdded();
    } catch (err) {
      const field = err instanceof ApiError ? fieldOf(err.field) : undefined;
      refuse(field ? { [field]: messageOf(err) } : { '': messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <SecretPanel
        title="Endpoint added: its signing secret"
        secret={created.secret}
        onDone={() => {
          setCreated(null);
          window.setTimeout(() => document.getElementById('add-endpoint-heading')?.focus(), 0);
        }}
      >
        <p>
          <span className="mono-inline endpoint-url">{created.url}</span> gets{' '}
          {created.organizationId ? (
            <>
              the events of <WebhookOrganization organizationId={created.organizationId} />
            </>
          ) : (
            'the events of all organizations'
          )}
          . <Link to={`/webhooks/${created.id}`}>Open this endpoint</Link> to send a test ping and see its deliveries.
        </p>
      </SecretPanel>
    );
  }

  return (
    <section className="section" aria-labelledby="add-endpoint-heading">
      <h2 id="add-endpoint-heading" tabIndex={-1}>
        Add endpoint
      </h2>
      <ErrorSummary errors={errors} focusKey={focusKey} />
      <form onSubmit={(e) => void submit(e)} className="form" noValidate>
        <TextField
          id={FIELDS.url}
          label="Endpoint URL"
          hint="Where the events are sent, for example https://registry.example.org/hooks. It must use https; private and local addresses are refused."
          error={errors[FIELDS.url]}
          type="url"
          inputMode="url"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={URL_MAX}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        <EventCheckboxes id={FIELDS.events} legend="Events to send" value={events} onChange={setEvents} error={errors[FIELDS.events]} />
        <fieldset>
          <legend>Which organizations’ events?</legend>
          <label className="choice">
            <input type="radio" name="webhook-scope" value="all" checked={scope === 'all'} onChange={() => setScope('all')} />
            All organizations
          </label>
          <label className="choice">
            <input
              type="radio"
              name="webhook-scope"
              value="one"
              checked={scope === 'one'}
              onChange={() => {
                setScope('one');
                window.setTimeout(() => document.getElementById(FIELDS.organizationId)?.focus(), 0);
              }}
            />
            One organization
          </label>
        </fieldset>
        {scope === 'one' && (
          <div className="nested-field">
            <OrganizationSearchField id={FIELDS.organizationId} radioName="webhook-organization" search={orgSearch} error={errors[FIELDS.organizationId]} onFind={() => void find()} />
          </div>
        )}
        <DescriptionField id={FIELDS.description} value={description} onChange={setDescription} error={errors[FIELDS.description]} />
        <button type="submit" className="primary" disabled={busy}>
          Add endpoint
        </button>
      </form>
    </section>
  );
}

/** The optional description: who the endpoint belongs to, so the help desk knows whom to call. */
export function DescriptionField({ id, value, onChange, error }: { id: string; value: string; onChange: (v: string) => void; error?: string }) {
  const describedBy = [`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={error ? 'field has-error' : 'field'}>
      <label htmlFor={id}>Description (optional)</label>
      <p id={`${id}-hint`} className="hint">
        Whose system this is and whom to contact, at most {DESCRIPTION_MAX} characters.
      </p>
      {error && (
        <p id={`${id}-error`} className="field-error">
          <span className="sr-only">Error: </span>
          {error}
        </p>
      )}
      <textarea id={id} rows={2} maxLength={DESCRIPTION_MAX} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={describedBy} aria-invalid={error ? true : undefined} />
    </div>
  );
}
