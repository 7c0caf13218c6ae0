import { useEffect, useState, type FormEvent } from 'react';
import type { EmailDigestChoice, EmailPreferencesView } from '@am/contracts';
import { ApiError, api } from '../api/client';
import { ErrorNote, messageOf } from '../components/ErrorNote';
import { ErrorSummary, useFormErrors } from '../components/Form';

const FIELDS = { emailDigest: 'pref-immediate', digestHour: 'pref-hour', timeZone: 'pref-zone' } as const;

/** "8:00 AM", "12:00 PM" (noon), "12:00 AM" (midnight). */
const hourLabel = (h: number) => `${h % 12 === 0 ? 12 : h % 12}:00 ${h < 12 ? 'AM' : 'PM'}`;

/** The time zones this browser knows, with the saved one and the browser's own always among them. */
function timeZones(...keep: string[]): string[] {
  const supported = (Intl as unknown as { supportedValuesOf?: (key: 'timeZone') => string[] }).supportedValuesOf?.('timeZone') ?? ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'UTC'];
  return [...new Set([...supported, ...keep.filter(Boolean)])].sort();
}

/**
 * Email preferences (issue 19): an email per request (the default) or one daily digest of the
 * requests waiting on you, at the hour and in the time zone chosen. In-app notices stay live.
 */
export function EmailPreferences() {
  const [saved, setSaved] = useState<EmailPreferencesView | null>(null);
  const [form, setForm] = useState<EmailPreferencesView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmation, setConfirmation] = useState('');
  const { errors, focusKey, refuse } = useFormErrors();

  useEffect(() => {
    let live = true;
    api.emailPreferences().then(
      (p) => {
        if (!live) return;
        setSaved(p);
        setForm(p);
      },
      (err: unknown) => live && setLoadError(messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, []);

  if (loadError) return <ErrorNote error={loadError} />;
  if (!form || !saved) return <p role="status">Loading your email preferences…</p>;

  const change = (next: Partial<EmailPreferencesView>) => {
    setForm({ ...form, ...next });
    setConfirmation('');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setConfirmation('');
    try {
      const p = await api.updateEmailPreferences(form);
      setSaved(p);
      setForm(p);
      refuse({});
      setConfirmation(
        p.emailDigest === 'daily'
          ? `Saved. You will get one email a day at ${hourLabel(p.digestHour)} (${p.timeZone}) listing the requests waiting for your decision.`
          : 'Saved. You will get an email for each request that needs your decision.',
      );
    } catch (err) {
      const field = err instanceof ApiError && err.field && err.field in FIELDS ? FIELDS[err.field as keyof typeof FIELDS] : '';
      refuse({ [field]: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  const daily = form.emailDigest === 'daily';
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <>
      <h1>Email preferences</h1>
      <p>
        Choose how you hear about requests waiting for your decision. Whatever you choose, notices appear in Access Manager at once, and emails about decisions, removals
        and your own requests are sent right away.
      </p>
      <ErrorSummary errors={errors} focusKey={focusKey} />
      <form className="form card" onSubmit={(e) => void submit(e)} noValidate aria-label="Email preferences">
        <fieldset>
          <legend>Requests waiting for my decision</legend>
          {(['immediate', 'daily'] as EmailDigestChoice[]).map((choice) => (
            <label className="choice" key={choice}>
              <input
                type="radio"
                id={choice === 'immediate' ? FIELDS.emailDigest : 'pref-daily'}
                name="emailDigest"
                value={choice}
                checked={form.emailDigest === choice}
                onChange={() => change({ emailDigest: choice })}
                aria-describedby={`pref-${choice}-hint`}
              />
              <span>
                {choice === 'immediate' ? 'An email for each request' : 'One daily digest'}
                <span id={`pref-${choice}-hint`} className="hint">
                  {choice === 'immediate'
                    ? ' — when a request is submitted, and each reminder.'
                    : ' — one email a day listing every request waiting for you, grouped by organization, with approve and deny links. Nothing waiting, no email.'}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        <fieldset disabled={!daily} aria-describedby="pref-when-hint">
          <legend>When the daily digest arrives</legend>
          <p id="pref-when-hint" className="hint">
            {daily ? 'The digest goes out within a quarter of an hour after this time, once a day.' : 'Choose “One daily digest” to set its time.'}
          </p>
          <div className="field">
            <label htmlFor={FIELDS.digestHour}>Time of day</label>
            <select id={FIELDS.digestHour} value={form.digestHour} onChange={(e) => change({ digestHour: Number(e.target.value) })} aria-invalid={errors[FIELDS.digestHour] ? true : undefined}>
              {Array.from({ length: 24 }, (_, h) => (
                <option key={h} value={h}>
                  {hourLabel(h)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={FIELDS.timeZone}>Time zone</label>
            <select id={FIELDS.timeZone} value={form.timeZone} onChange={(e) => change({ timeZone: e.target.value })} aria-invalid={errors[FIELDS.timeZone] ? true : undefined}>
              {timeZones(form.timeZone, saved.timeZone, browserZone).map((z) => (
                <option key={z} value={z}>
                  {z.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save preferences'}
        </button>
      </form>
      <p role="status" className={confirmation ? 'success-line' : undefined}>
        {confirmation}
      </p>
    </>
  );
}
