import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { WEBHOOK_EVENT_TYPES, type WebhookDeliveryStatus, type WebhookEventType, type WebhookStatus, type WebhookView } from '@am/contracts';
import { api } from '../api/client';

/** What each event a subscription may ask for means, in one line. */
export const EVENT_EXPLAINED: Record<WebhookEventType, string> = {
  'role-request.submitted': 'Someone asked for a role at an organization.',
  'role-request.decided': 'A request was approved or denied.',
  'role-request.withdrawn': 'The requester withdrew a request before it was decided.',
  'role-request.expired': 'A request expired with no decision.',
  'role-request.decision-undone': 'A denial was taken back within its undo window: the request is pending again.',
  'access.removed': 'A person’s access to an organization was removed.',
  'nomination.accepted': 'A nominated backup Security Official accepted the nomination.',
  'access-review.completed': 'An organization’s access review was completed.',
};

export const WEBHOOK_STATUS_LABEL: Record<WebhookStatus, string> = { ACTIVE: 'Active', PAUSED: 'Paused', DISABLED: 'Disabled' };
const WEBHOOK_STATUS_BADGE: Record<WebhookStatus, string> = { ACTIVE: 'badge badge-ok', PAUSED: 'badge badge-warn', DISABLED: 'badge badge-danger' };

export const DELIVERY_STATUS_LABEL: Record<WebhookDeliveryStatus, string> = { PENDING: 'Pending', DELIVERED: 'Delivered', FAILED: 'Failed' };
const DELIVERY_STATUS_BADGE: Record<WebhookDeliveryStatus, string> = { PENDING: 'badge badge-warn', DELIVERED: 'badge badge-ok', FAILED: 'badge badge-danger' };

/** A subscription's status as a badge, with why it is paused or disabled. */
export function WebhookStatusBadge({ webhook: w, withReason = true }: { webhook: Pick<WebhookView, 'status' | 'statusReason'>; withReason?: boolean }) {
  return (
    <>
      <span className={WEBHOOK_STATUS_BADGE[w.status]} data-testid="webhook-status">
        {WEBHOOK_STATUS_LABEL[w.status]}
      </span>
      {withReason && w.statusReason && <span className="block status-reason">{w.statusReason}</span>}
    </>
  );
}

export function DeliveryStatusBadge({ status }: { status: WebhookDeliveryStatus }) {
  return <span className={DELIVERY_STATUS_BADGE[status]}>{DELIVERY_STATUS_LABEL[status]}</span>;
}

// The names of the organizations subscriptions are scoped to: each asked for once per page load.
const organizationNames = new Map<string, Promise<string>>();
function organizationName(id: string): Promise<string> {
  let name = organizationNames.get(id);
  if (!name) {
    name = api.organization(id).then(
      (o) => o.name,
      () => {
        organizationNames.delete(id);
        return `Organization ${id}`;
      },
    );
    organizationNames.set(id, name);
  }
  return name;
}

/** "All organizations", or the name of the one organization a subscription hears about. */
export function WebhookOrganization({ organizationId }: { organizationId: string | null }) {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    if (!organizationId) return;
    let live = true;
    void organizationName(organizationId).then((n) => live && setName(n));
    return () => {
      live = false;
    };
  }, [organizationId]);
  if (!organizationId) return <>All organizations</>;
  return <>{name ?? 'Loading…'}</>;
}

/**
 * The events as a checkbox group, each named as the payload's `type` and explained in one line.
 * `id` is the group's: the form's error summary links to it.
 */
export function EventCheckboxes({ id, legend, value, onChange, error }: { id: string; legend: string; value: WebhookEventType[]; onChange: (events: WebhookEventType[]) => void; error?: string }) {
  const toggle = (t: WebhookEventType, on: boolean) => onChange(WEBHOOK_EVENT_TYPES.filter((e) => (e === t ? on : value.includes(e))));
  return (
    <fieldset id={id} tabIndex={-1} className={error ? 'field has-error event-choices' : 'field event-choices'} aria-describedby={error ? `${id}-error` : `${id}-hint`}>
      <legend>{legend}</legend>
      <p id={`${id}-hint`} className="hint">
        Choose at least one. Each delivery’s <span className="mono-inline">type</span> is the event’s name.
      </p>
      {error && (
        <p id={`${id}-error`} className="field-error">
          <span className="sr-only">Error: </span>
          {error}
        </p>
      )}
      <ul className="choice-list">
        {WEBHOOK_EVENT_TYPES.map((t) => (
          <li key={t}>
            <label className="choice">
              <input type="checkbox" name={`${id}-event`} value={t} checked={value.includes(t)} onChange={(e) => toggle(t, e.target.checked)} aria-describedby={`${id}-${t.replace(/\W/g, '-')}-explained`} />
              <span className="mono-inline">{t}</span>
            </label>
            <p id={`${id}-${t.replace(/\W/g, '-')}-explained`} className="hint event-explained">
              {EVENT_EXPLAINED[t]}
            </p>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/**
 * The signing secret, shown once (at registration and rotation): clearly marked, with Copy, and
 * focused as it appears so a screen reader reads it out.
 */
export function SecretPanel({ title, secret, children, onDone }: { title: string; secret: string; children?: ReactNode; onDone: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState('');
  const headingId = useId();
  const inputId = useId();
  useEffect(() => {
    // After any dialog that led here has given focus back to its opener.
    const t = window.setTimeout(() => headingRef.current?.focus(), 0);
    return () => window.clearTimeout(t);
  }, [secret]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setStatus('Copied the signing secret.');
    } catch {
      // No clipboard (an insecure origin, or permission refused): leave it selected to copy by hand.
      input.current?.select();
      setStatus('The secret is selected: press Ctrl+C (⌘C on a Mac) to copy it.');
    }
  };
  return (
    <section className="section secret-panel" aria-labelledby={headingId} data-testid="webhook-secret-panel">
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        {title}
      </h2>
      <p className="secret-warning">
        <strong>Copy the signing secret now: you will not see it again.</strong> Only a protected form of it is kept, so nobody can show it to you later. Give it
        to the receiving system, which checks each delivery’s <span className="mono-inline">webhook-signature</span> with it.
      </p>
      <div className="field">
        <label htmlFor={inputId}>Signing secret</label>
        <div className="actions">
          <input id={inputId} ref={input} type="text" readOnly value={secret} className="secret-value" data-testid="webhook-secret" onFocus={(e) => e.currentTarget.select()} />
          <button type="button" className="primary" onClick={() => void copy()}>
            Copy secret
          </button>
        </div>
      </div>
      {children}
      <p role="status" aria-live="polite" className="hint">
        {status}
      </p>
      <div className="actions">
        <button type="button" className="secondary" onClick={onDone}>
          I have saved the secret
        </button>
      </div>
    </section>
  );
}
