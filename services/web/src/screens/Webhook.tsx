import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import {
  WEBHOOK_DELIVERY_STATUSES,
  type Page,
  type WebhookDeliveryStatus,
  type WebhookDeliveryView,
  type WebhookEventType,
  type WebhookView,
  type WebhookWithSecret,
} from '@am/contracts';
import { api, ApiError } from '../api/client';
import { Dialog } from '../components/Dialog';
import { ErrorNote, messageOf } from '../components/ErrorNote';
import { ErrorSummary, useFormErrors, type FieldErrors } from '../components/Form';
import { Pager } from '../components/Pager';
import { useToast } from '../components/Toasts';
import { DeliveryStatusBadge, DELIVERY_STATUS_LABEL, EventCheckboxes, SecretPanel, WebhookOrganization, WebhookStatusBadge } from '../components/Webhooks';
import { dateTime, plural } from '../format';
import { Link, useRouter } from '../router';
import { DescriptionField, DESCRIPTION_MAX } from './Webhooks';

const PAGE_SIZE = 20;
/** While a shown delivery is still being attempted, the table reads them again this often. */
const PENDING_REFRESH_MS = 3_000;
const EDIT_FIELDS = { events: 'edit-webhook-events', description: 'edit-webhook-description' } as const;

/**
 * One webhook endpoint (help desk): its state; edit its events and description; pause or resume
 * it; rotate its secret or delete it (each after a confirmation); send a test ping; and its
 * deliveries, with a status filter and Redeliver. Results are read out in a polite live region.
 */
export function WebhookScreen({ id }: { id: string }) {
  const [webhook, setWebhook] = useState<WebhookView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.webhook(id).then(
      (w) => live && setWebhook(w),
      (err: unknown) => live && setError(err instanceof ApiError && err.status === 404 ? 'No webhook endpoint has this id: it may have been deleted.' : messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [id]);

  return (
    <>
      <p className="breadcrumb">
        <Link to="/webhooks">Webhooks</Link>
      </p>
      <h1>Webhook endpoint</h1>
      <ErrorNote error={error} />
      {!webhook ? !error && <p aria-busy="true">Loading…</p> : <WebhookDetail webhook={webhook} onChange={setWebhook} />}
    </>
  );
}

type Confirming = 'rotate' | 'delete' | null;

function WebhookDetail({ webhook: w, onChange }: { webhook: WebhookView; onChange: (w: WebhookView) => void }) {
  const { navigate } = useRouter();
  const toast = useToast();
  // What the last action did, read out politely; its failures are alerts.
  const [said, setSaid] = useState('');
  const [failed, setFailed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [rotated, setRotated] = useState<WebhookWithSecret | null>(null);
  // The last test ping sent: the deliveries are read again, and its outcome is read out.
  const [pinged, setPinged] = useState<WebhookDeliveryView | null>(null);

  const act = async (what: () => Promise<void>) => {
    setBusy(true);
    setFailed(null);
    setSaid('');
    try {
      await what();
    } catch (err) {
      setFailed(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const setPaused = (paused: boolean) =>
    act(async () => {
      const next = await api.updateWebhook(w.id, { paused });
      onChange(next);
      setSaid(paused ? 'Paused: events for this endpoint are held until you resume it.' : 'Resumed: events are sent to this endpoint again, those held meanwhile too.');
    });

  const ping = () =>
    act(async () => {
      setPinged(await api.pingWebhook(w.id));
      setSaid('Test ping sent: a signed webhook.ping is on its way. Its delivery is listed below.');
    });

  const rotate = () =>
    act(async () => {
      try {
        const next = await api.rotateWebhookSecret(w.id);
        onChange(withoutSecret(next));
        setRotated(next);
        setSaid('New signing secret ready: copy it now.');
      } finally {
        setConfirming(null);
      }
    });

  const remove = () =>
    act(async () => {
      try {
        await api.deleteWebhook(w.id);
      } catch (err) {
        setConfirming(null);
        throw err;
      }
      toast(`You deleted the endpoint ${w.url}.`);
      navigate('/webhooks');
    });

  const paused = w.status !== 'ACTIVE';
  return (
    <>
      {rotated && (
        <SecretPanel title="New signing secret" secret={rotated.secret} onDone={() => setRotated(null)}>
          {rotated.previousSecretExpiresAt && (
            <p data-testid="previous-secret-note">
              The previous secret keeps signing until <strong>{dateTime(rotated.previousSecretExpiresAt)}</strong>: each delivery carries both signatures until
              then, so the receiving system can switch to the new secret without missing one.
            </p>
          )}
        </SecretPanel>
      )}
      <section className="section webhook" aria-labelledby="webhook-heading" data-testid="webhook">
        <div className="section-head">
          <h2 id="webhook-heading" className="endpoint-url">
            {w.url}
          </h2>
          <WebhookStatusBadge webhook={w} withReason={false} />
        </div>
        <dl className="facts">
          <div>
            <dt>Status</dt>
            <dd data-testid="webhook-status-line">
              {statusInWords(w)}
              {w.statusChangedAt && w.status !== 'ACTIVE' ? ` (since ${dateTime(w.statusChangedAt)})` : ''}
            </dd>
          </div>
          <div>
            <dt>Failing since</dt>
            <dd data-testid="webhook-failing-since">{w.failingSince ? dateTime(w.failingSince) : 'Not failing'}</dd>
          </div>
          <div>
            <dt>Organization</dt>
            <dd>
              <WebhookOrganization organizationId={w.organizationId} />
            </dd>
          </div>
          <div>
            <dt>Events</dt>
            <dd>
              <ul className="event-names">
                {w.events.map((e) => (
                  <li key={e} className="mono-inline">
                    {e}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
          <div>
            <dt>Description</dt>
            <dd>{w.description ?? <span className="muted">None</span>}</dd>
          </div>
          <div>
            <dt>Registered</dt>
            <dd>
              {dateTime(w.createdAt)} by {w.createdBy.displayName}
              {w.createdByApiKey ? ` with the API key “${w.createdByApiKey.name}”` : ''}
            </dd>
          </div>
          <div>
            <dt>Signing secret</dt>
            <dd>
              {w.secretRotatedAt ? `Rotated ${dateTime(w.secretRotatedAt)}` : 'Not rotated since it was registered'}
              {w.previousSecretExpiresAt ? `; the previous secret keeps signing until ${dateTime(w.previousSecretExpiresAt)}` : ''}
            </dd>
          </div>
        </dl>
        <div className="actions">
          {paused ? (
            <button type="button" className="primary" disabled={busy} onClick={() => void setPaused(false)}>
              Resume
            </button>
          ) : (
            <button type="button" className="secondary" disabled={busy} onClick={() => void setPaused(true)}>
              Pause
            </button>
          )}
          <button type="button" className="secondary" disabled={busy} onClick={() => void ping()}>
            Send test ping
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => setConfirming('rotate')}>
            Rotate secret
          </button>
          <button type="button" className="danger" disabled={busy} onClick={() => setConfirming('delete')}>
            Delete endpoint
          </button>
        </div>
        <ErrorNote error={failed} />
        <p role="status" aria-live="polite" className="action-status" data-testid="webhook-said">
          {said}
        </p>
      </section>
      <EditWebhook
        webhook={w}
        onSaved={(next) => {
          onChange(next);
          setFailed(null);
          setSaid('Saved the events and description.');
        }}
      />
      <Deliveries
        webhookId={w.id}
        active={w.status === 'ACTIVE'}
        pinged={pinged}
        onRefresh={() => {
          // The endpoint's own state (failing since, paused after failures) may have changed too.
          api.webhook(w.id).then(onChange, () => undefined);
        }}
      />
      {confirming === 'rotate' && (
        <Dialog title="Rotate the signing secret?" onClose={() => setConfirming(null)}>
          <p>
            A new secret signs every delivery from now on, and it is shown once. The current secret keeps signing too, as a second signature, for 24 hours, so
            the receiving system has time to switch.
          </p>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void rotate()}>
              Yes, Rotate Secret
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(null)}>
              No, Cancel Action
            </button>
          </div>
        </Dialog>
      )}
      {confirming === 'delete' && (
        <Dialog title="Delete this endpoint?" onClose={() => setConfirming(null)}>
          <p>
            <strong className="endpoint-url">{w.url}</strong>
          </p>
          <p>Nothing more is sent to it, not even deliveries waiting for a retry. To hear about events again, the system must be registered again.</p>
          <div className="actions">
            <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
              Yes, Delete Endpoint
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(null)}>
              No, Cancel Action
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

/** The view without its secret: the page keeps the secret only in the panel that shows it once. */
function withoutSecret(w: WebhookWithSecret): WebhookView {
  const view: Partial<WebhookWithSecret> = { ...w };
  delete view.secret;
  return view as WebhookView;
}

function statusInWords(w: WebhookView): string {
  switch (w.status) {
    case 'ACTIVE':
      return 'Active: events are sent';
    case 'PAUSED':
      return `Paused: events are held until it resumes${w.statusReason ? `. ${w.statusReason}` : ''}`;
    case 'DISABLED':
      return `Disabled: no events are sent until it is resumed${w.statusReason ? `. ${w.statusReason}` : ''}`;
  }
}

/** Changing the events and the description. */
function EditWebhook({ webhook: w, onSaved }: { webhook: WebhookView; onSaved: (w: WebhookView) => void }) {
  const { errors, focusKey, refuse } = useFormErrors();
  const [events, setEvents] = useState<WebhookEventType[]>(w.events);
  const [description, setDescription] = useState(w.description ?? '');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (events.length === 0) found[EDIT_FIELDS.events] = 'Choose at least one event to send.';
    if (description.trim().length > DESCRIPTION_MAX) found[EDIT_FIELDS.description] = `The description must be at most ${DESCRIPTION_MAX} characters.`;
    refuse(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const next = await api.updateWebhook(w.id, { events, description: description.trim() });
      setDescription(next.description ?? '');
      onSaved(next);
    } catch (err) {
      const field = err instanceof ApiError && (err.field === 'events' || err.field === 'description') ? EDIT_FIELDS[err.field] : '';
      refuse({ [field]: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="section" aria-labelledby="edit-webhook-heading">
      <h2 id="edit-webhook-heading">Events and description</h2>
      <ErrorSummary errors={errors} focusKey={focusKey} />
      <form onSubmit={(e) => void submit(e)} className="form" noValidate>
        <EventCheckboxes id={EDIT_FIELDS.events} legend="Events to send" value={events} onChange={setEvents} error={errors[EDIT_FIELDS.events]} />
        <DescriptionField id={EDIT_FIELDS.description} value={description} onChange={setDescription} error={errors[EDIT_FIELDS.description]} />
        <button type="submit" className="primary" disabled={busy}>
          Save changes
        </button>
      </form>
    </section>
  );
}

const FILTERS: { value: '' | WebhookDeliveryStatus; label: string }[] = [{ value: '', label: 'All deliveries' }, ...WEBHOOK_DELIVERY_STATUSES.map((s) => ({ value: s, label: DELIVERY_STATUS_LABEL[s] }))];

/** A delivery this page sent (a ping, a redelivery) whose outcome is read out: `since` is its last attempt before. */
interface Watched {
  since: string | null;
  failedOnce: boolean;
}

/**
 * The endpoint's deliveries, newest first, with a status filter, Refresh, and Redeliver on each one
 * that is no longer being attempted. What happens to a ping or a redelivery sent from this page (its
 * first failed attempt, then delivered or given up) is read out in the live region.
 */
function Deliveries({ webhookId, active, pinged, onRefresh }: { webhookId: string; active: boolean; pinged: WebhookDeliveryView | null; onRefresh: () => void }) {
  const [status, setStatus] = useState<'' | WebhookDeliveryStatus>('');
  const [page, setPage] = useState(1);
  const [list, setList] = useState<Page<WebhookDeliveryView> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState('');
  const [refreshes, setRefreshes] = useState(0);
  const [redelivering, setRedelivering] = useState<string | null>(null);

  const watched = useRef(new Map<string, Watched>());

  const read = useCallback(() => setRefreshes((n) => n + 1), []);

  /** What has happened to the watched deliveries since they were sent, in words; '' when nothing. */
  const newsOf = useCallback((items: WebhookDeliveryView[]): string => {
    const news: string[] = [];
    for (const d of items) {
      const w = watched.current.get(d.id);
      if (!w || d.lastAttemptAt === w.since) continue;
      if (d.status === 'DELIVERED') {
        news.push(`${d.eventType} delivered: the endpoint answered ${d.lastResponseCode ?? 'with success'}.`);
        watched.current.delete(d.id);
      } else if (d.status === 'FAILED') {
        news.push(`${d.eventType} failed: ${d.lastError ?? 'given up'}.`);
        watched.current.delete(d.id);
      } else if (!w.failedOnce && d.lastError) {
        news.push(`${d.eventType} attempt failed: ${d.lastError}.${d.nextAttemptAt ? ` Next attempt ${dateTime(d.nextAttemptAt)}.` : ''}`);
        w.failedOnce = true;
      }
    }
    return news.join(' ');
  }, []);

  useEffect(() => {
    if (pinged) watched.current.set(pinged.id, { since: pinged.lastAttemptAt, failedOnce: false });
  }, [pinged]);

  useEffect(() => {
    let live = true;
    api.webhookDeliveries(webhookId, { status: status || undefined, page, pageSize: PAGE_SIZE }).then(
      (v) => {
        if (!live) return;
        setList(v);
        setError(null);
        const news = newsOf(v.items);
        if (news) setSaid(news);
      },
      (err: unknown) => live && setError(messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [webhookId, status, page, pinged, refreshes, newsOf]);

  // A delivery still being attempted changes on its own: read the page again until none is. (While
  // the endpoint is paused or disabled nothing is attempted: its pending deliveries wait.)
  const pending = active && (list?.items.some((d) => d.status === 'PENDING') ?? false);
  useEffect(() => {
    if (!pending) return;
    const t = window.setTimeout(read, PENDING_REFRESH_MS);
    return () => window.clearTimeout(t);
  }, [pending, list, read]);

  const refresh = async () => {
    setSaid('');
    onRefresh();
    try {
      const v = await api.webhookDeliveries(webhookId, { status: status || undefined, page, pageSize: PAGE_SIZE });
      setList(v);
      setError(null);
      const news = newsOf(v.items);
      setSaid(`Deliveries refreshed: ${plural(v.total, 'delivery', 'deliveries')}.${news ? ` ${news}` : ''}`);
    } catch (err) {
      setError(messageOf(err));
    }
  };

  const redeliver = async (d: WebhookDeliveryView) => {
    setRedelivering(d.id);
    setSaid('');
    setError(null);
    try {
      await api.redeliverWebhook(webhookId, d.id);
      watched.current.set(d.id, { since: d.lastAttemptAt, failedOnce: false });
      const started = `Redelivery of ${d.eventType} started: it is sent again with the same webhook-id.`;
      setSaid(started);
      // Read the table again at once (it may be done already); later news replaces this message.
      const v = await api.webhookDeliveries(webhookId, { status: status || undefined, page, pageSize: PAGE_SIZE });
      setList(v);
      const news = newsOf(v.items);
      if (news) setSaid(`${started} ${news}`);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setRedelivering(null);
    }
  };

  const pages = list ? Math.max(1, Math.ceil(list.total / list.pageSize)) : 1;
  const filterLabel = FILTERS.find((f) => f.value === status)!.label;
  return (
    <section className="section" aria-labelledby="deliveries-heading" data-testid="deliveries">
      <div className="section-head">
        <h2 id="deliveries-heading">Deliveries{list ? ` (${list.total})` : ''}</h2>
      </div>
      <div className="filters deliveries-filters">
        <div className="field">
          <label htmlFor="delivery-status">Show</label>
          <select
            id="delivery-status"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as '' | WebhookDeliveryStatus);
              setPage(1);
              setList(null);
            }}
          >
            {FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="secondary" onClick={() => void refresh()}>
          Refresh
        </button>
      </div>
      <ErrorNote error={error} />
      <p role="status" aria-live="polite" className="action-status" data-testid="deliveries-said">
        {said}
      </p>
      {!list ? (
        !error && <p aria-busy="true">Loading…</p>
      ) : list.items.length === 0 ? (
        <p className="empty">{status ? `No ${filterLabel.toLowerCase()} deliveries.` : 'Nothing has been sent to this endpoint yet.'}</p>
      ) : (
        // A scrolling table must be reachable by keyboard (WCAG 2.1.1), so its region takes focus.
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="deliveries-heading">
          <table className="deliveries-table">
            <caption className="sr-only">
              Deliveries: {filterLabel}, newest first, page {list.page} of {pages}
            </caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last response</th>
                <th scope="col">Last attempt</th>
                <th scope="col">Next attempt</th>
                <th scope="col">Error</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((d) => (
                <tr key={d.id} data-testid="delivery-row" data-delivery-id={d.id} data-status={d.status}>
                  <th scope="row">
                    <span className="mono-inline">{d.eventType}</span>
                    <span className="muted block">Created {dateTime(d.createdAt)}</span>
                  </th>
                  <td>
                    <DeliveryStatusBadge status={d.status} />
                    {d.deliveredAt && <span className="muted block">{dateTime(d.deliveredAt)}</span>}
                  </td>
                  <td>{d.attempts}</td>
                  <td data-testid="delivery-response">{d.lastResponseCode ?? <span className="muted">None</span>}</td>
                  <td>{d.lastAttemptAt ? dateTime(d.lastAttemptAt) : <span className="muted">Not yet</span>}</td>
                  <td>{d.nextAttemptAt ? dateTime(d.nextAttemptAt) : <span className="muted">None</span>}</td>
                  <td className="delivery-error" data-testid="delivery-error">
                    {d.lastError ?? ''}
                  </td>
                  <td>
                    {d.status !== 'PENDING' && (
                      <button type="button" className="secondary small" disabled={redelivering !== null} onClick={() => void redeliver(d)}>
                        Redeliver<span className="sr-only"> {d.eventType} created {dateTime(d.createdAt)}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager label="Deliveries pages" page={page} pages={pages} onPage={setPage} />
    </section>
  );
}
