import { useId, useRef, useState } from 'react';
import type { CalendarFeedView } from '@am/contracts';
import { api, PUBLIC_CALENDAR_FEED } from '../api/client';
import { Dialog } from './Dialog';
import { ErrorNote, messageOf } from './ErrorNote';

/**
 * The guide's Helpful Hint, with what it asks for (issue 19): the program calendar to subscribe to,
 * and the person's own feed, which adds a weekly "Review pending requests" during the high-volume
 * periods. The personal link is a secret: it is fetched (and first issued) only when asked for,
 * copied with one click, and replaced on request, after a warning that the old one stops working.
 */
export function AddToCalendar() {
  const [open, setOpen] = useState(false);
  const [feed, setFeed] = useState<CalendarFeedView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const panelId = useId();
  const inputId = useId();

  const toggle = async () => {
    const next = !open;
    setOpen(next);
    if (!next || feed) return;
    try {
      setFeed(await api.calendarFeed());
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    }
  };

  const copy = async () => {
    if (!feed) return;
    try {
      await navigator.clipboard.writeText(feed.url);
      setStatus('Copied: paste the link into your calendar app’s “subscribe” or “add calendar from URL”.');
    } catch {
      // No clipboard (an insecure origin, or permission refused): leave the link selected to copy by hand.
      input.current?.select();
      setStatus('The link is selected: press Ctrl+C (⌘C on a Mac) to copy it.');
    }
  };

  const rotate = async () => {
    setBusy(true);
    try {
      setFeed(await api.rotateCalendarFeed());
      setError(null);
      setStatus('New link ready. Your previous link no longer works: subscribe again with this one.');
      setConfirming(false);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="info-note calendar-hint">
      <p>
        <strong>Helpful Hint:</strong> Consider creating a recurring calendar reminder to sign in to Access Manager so you can review and approve any pending
        requests during high volume request periods (before and during the submission period and the targeted review period).
      </p>
      <div className="actions">
        <button type="button" className="secondary" aria-expanded={open} aria-controls={panelId} onClick={() => void toggle()}>
          Add to calendar
        </button>
      </div>
      <div id={panelId} hidden={!open} className="calendar-panel">
        <p>
          <a href={PUBLIC_CALENDAR_FEED}>Program calendar (iCalendar feed)</a>: the registration, submission and targeted review periods, for anyone.
        </p>
        <ErrorNote error={error} />
        {feed && (
          <div className="field">
            <label htmlFor={inputId}>Your personal calendar link</label>
            <p className="hint" id={`${inputId}-hint`}>
              Adds a weekly “Review pending requests” reminder during the high-volume periods, and the due dates of your access reviews. Keep it
              private: anyone with the link can see these dates.
            </p>
            <div className="actions">
              <input id={inputId} ref={input} type="text" readOnly value={feed.url} aria-describedby={`${inputId}-hint`} className="calendar-url" onFocus={(e) => e.currentTarget.select()} />
              <button type="button" className="primary" onClick={() => void copy()}>
                Copy link
              </button>
              <button type="button" className="secondary" onClick={() => setConfirming(true)}>
                Get a new link
              </button>
            </div>
          </div>
        )}
        <p role="status" aria-live="polite" className="hint">
          {status}
        </p>
      </div>
      {confirming && (
        <Dialog title="Get a new calendar link?" onClose={() => setConfirming(false)}>
          <p>Your current link stops working at once: calendars subscribed to it stop updating until you subscribe again with the new link.</p>
          <div className="actions">
            <button type="button" className="danger" disabled={busy} onClick={() => void rotate()}>
              Get a new link
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
