import { useEffect, useRef, useState } from 'react';
import { api, ApiError, type NotificationView } from '../api/client';
import { dateTime } from '../format';
import { useToast } from './Toasts';

const textOf = (n: NotificationView) => n.message ?? n.body ?? n.title ?? '';
const isRead = (n: NotificationView) => n.read === true || Boolean(n.readAt);
const RECONNECT_MS = [1_000, 5_000, 15_000, 30_000];

/**
 * In-app notices: a list behind a button in the header, and a pop-up for each new one pushed
 * live over Server-Sent Events. The stream is read with fetch (EventSource cannot send the
 * bearer header). Where the server has no notifications API (404), nothing is shown.
 */
export function Notifications() {
  const toast = useToast();
  const [available, setAvailable] = useState(false);
  const [items, setItems] = useState<NotificationView[]>([]);
  const [open, setOpen] = useState(false);
  const panelRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const abort = new AbortController();
    let attempt = 0;
    let timer: number | undefined;

    const listen = async () => {
      try {
        const res = await api.openNotificationStream(abort.signal);
        attempt = 0;
        setAvailable(true);
        await readEvents(res.body!, (data) => {
          const n = parse(data);
          if (!n) return;
          setItems((list) => [n, ...list.filter((x) => x.id !== n.id)]);
          toast(textOf(n) || 'You have a new notification.', 'info');
        });
      } catch (err) {
        if (abort.signal.aborted) return;
        // No stream on this server (404) or not allowed: stop quietly; otherwise retry with backoff.
        if (err instanceof ApiError && err.status >= 400 && err.status < 500) return;
      }
      if (abort.signal.aborted) return;
      timer = window.setTimeout(() => void listen(), RECONNECT_MS[Math.min(attempt++, RECONNECT_MS.length - 1)]);
    };

    api.notifications().then(
      (list) => {
        if (abort.signal.aborted) return;
        setItems(Array.isArray(list) ? list : (list.items ?? []));
        setAvailable(true);
        void listen();
      },
      () => setAvailable(false), // 404 (not deployed here) or any failure: quietly absent
    );
    return () => {
      abort.abort();
      window.clearTimeout(timer);
    };
  }, [toast]);

  const markRead = async (n: NotificationView) => {
    try {
      await api.markRead(n.id);
      setItems((list) => list.map((x) => (x.id === n.id ? { ...x, read: true, readAt: new Date().toISOString() } : x)));
    } catch {
      /* the list stays as it was; the next load shows the truth */
    }
  };

  if (!available) return null;
  const unread = items.filter((n) => !isRead(n)).length;
  return (
    <div className="notifications">
      <button type="button" className="header-button" aria-expanded={open} aria-controls="notifications-panel" onClick={() => setOpen((o) => !o)}>
        Notifications{unread > 0 ? ` (${unread} unread)` : ''}
      </button>
      {open && (
        <div id="notifications-panel" ref={panelRef} className="notifications-panel" role="region" aria-label="Notifications list">
          {items.length === 0 ? (
            <p>No notifications.</p>
          ) : (
            <ul>
              {items.map((n) => (
                <li key={n.id} className={isRead(n) ? 'read' : 'unread'}>
                  <p>{textOf(n)}</p>
                  {n.createdAt && <p className="muted">{dateTime(n.createdAt)}</p>}
                  {!isRead(n) && (
                    <button type="button" className="link-button" onClick={() => void markRead(n)}>
                      Mark as read
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

function parse(data: string): NotificationView | null {
  try {
    const v = JSON.parse(data) as NotificationView;
    return v && typeof v.id === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** Reads a text/event-stream body and calls onData with each event's data (comments ignored). */
async function readEvents(body: ReadableStream<Uint8Array>, onData: (data: string) => void): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      const data = block
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) onData(data);
    }
  }
}
