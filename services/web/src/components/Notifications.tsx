import { useCallback, useEffect, useRef, useState } from 'react';
import type { NoticeView } from '@am/contracts';
import { api, ApiError } from '../api/client';
import { readServerSentEvents } from '../api/sse';
import { dateTime } from '../format';
import { Link } from '../router';
import { useNoticeToast } from './Toasts';

const LIST_LIMIT = 50;
const RECONNECT_MS = [1_000, 5_000, 15_000, 30_000];

/**
 * In-app notices (PRODUCT.md rule 13): a list behind a button in the header with the unread count,
 * and a pop-up for each notice pushed live over GET /api/v1/notifications/stream (Server-Sent
 * Events `ready`, `notice`, `ping`). The stream is read with fetch and the session cookie, and
 * reopened with backoff when it drops; each `ready` reloads the list, so a notice created while
 * the stream was closed still appears (and pops up if it is new and unread).
 */
export function Notifications() {
  const popUp = useNoticeToast();
  const [items, setItems] = useState<NoticeView[] | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const [open, setOpen] = useState(false);
  const [markFailed, setMarkFailed] = useState<string | null>(null);
  /** Whether the live stream is open (shown to tests and tools as data-stream). */
  const [live, setLive] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const itemRefs = useRef(new Map<string, HTMLLIElement>());
  /** Ids already shown in the list or as a pop-up: each notice pops up at most once. */
  const known = useRef<Set<string> | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    let attempt = 0;
    let timer: number | undefined;

    const arrived = (n: NoticeView) => {
      setItems((list) => [n, ...(list ?? []).filter((x) => x.id !== n.id)]);
      if (known.current?.has(n.id)) return;
      known.current?.add(n.id);
      popUp(n);
    };

    const load = async () => {
      try {
        const list = await api.notifications({ limit: LIST_LIMIT });
        if (abort.signal.aborted) return;
        if (known.current) {
          // A reload after (re)connecting: what arrived while the stream was closed pops up now.
          for (const n of [...list].reverse()) if (!known.current.has(n.id) && n.readAt === null) arrived(n);
        } else {
          known.current = new Set(list.map((n) => n.id));
        }
        list.forEach((n) => known.current!.add(n.id));
        setItems((current) => merge(list, current ?? []));
        setLoadFailed(false);
      } catch {
        if (!abort.signal.aborted) setLoadFailed(true);
      }
    };

    const listen = async () => {
      try {
        const res = await api.openNotificationStream(abort.signal);
        await readServerSentEvents(res.body!, ({ event, data }) => {
          if (event === 'ready') {
            attempt = 0;
            setLive(true);
            void load();
          } else if (event === 'notice') {
            const n = parseNotice(data);
            if (n) arrived(n);
          }
          // `ping` only keeps the connection alive.
        });
      } catch (err) {
        if (abort.signal.aborted) return;
        setLive(false);
        // Signed out or expired (401), or not allowed: the stream will not open; stop quietly.
        if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 429) return;
      }
      if (abort.signal.aborted) return;
      setLive(false);
      timer = window.setTimeout(() => void listen(), RECONNECT_MS[Math.min(attempt++, RECONNECT_MS.length - 1)]);
    };

    void load().then(() => {
      if (!abort.signal.aborted) void listen();
    });
    return () => {
      abort.abort();
      window.clearTimeout(timer);
    };
  }, [popUp]);

  const close = useCallback(() => {
    setOpen(false);
    buttonRef.current?.focus();
  }, []);

  // A click outside the list closes it; Escape within it (or on its button) closes it and returns to the button.
  useEffect(() => {
    if (!open) return;
    const inside = (node: EventTarget | null) => node instanceof Node && (panelRef.current?.contains(node) || buttonRef.current?.contains(node));
    const onPointer = (e: PointerEvent) => {
      if (!inside(e.target)) setOpen(false);
    };
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape' && inside(document.activeElement)) close();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, close]);

  const markRead = async (n: NoticeView) => {
    setMarkFailed(null);
    try {
      const updated = await api.markRead(n.id);
      setItems((list) => (list ?? []).map((x) => (x.id === n.id ? updated : x)));
      // The button goes away: keep the keyboard where it was, on this notice.
      itemRefs.current.get(n.id)?.focus();
    } catch (err) {
      setMarkFailed(err instanceof ApiError ? err.message : 'The notice could not be marked as read. Try again.');
    }
  };

  const unread = (items ?? []).filter((n) => n.readAt === null).length;
  return (
    <div className="notifications" data-stream={live ? 'open' : 'closed'}>
      <button
        ref={buttonRef}
        type="button"
        className="header-button"
        aria-expanded={open}
        aria-controls="notifications-panel"
        onClick={() => setOpen((o) => !o)}
      >
        Notifications
        {unread > 0 && (
          <span className="badge" data-testid="unread-count">
            {' '}
            ({unread} unread)
          </span>
        )}
      </button>
      {open && (
        <div id="notifications-panel" ref={panelRef} className="notifications-panel" role="region" aria-labelledby="notifications-heading">
          <div className="notifications-head">
            <h2 id="notifications-heading">Notifications</h2>
            <button type="button" className="link-button" onClick={close}>
              Close
            </button>
          </div>
          {markFailed && (
            <p className="error-note" role="alert">
              {markFailed}
            </p>
          )}
          {items === null ? (
            <p>{loadFailed ? 'Your notifications could not be loaded. Try again later.' : 'Loading…'}</p>
          ) : items.length === 0 ? (
            <p className="empty">No notifications.</p>
          ) : (
            <ul aria-labelledby="notifications-heading">
              {items.map((n) => {
                const read = n.readAt !== null;
                return (
                  <li
                    key={n.id}
                    ref={(el) => {
                      if (el) itemRefs.current.set(n.id, el);
                      else itemRefs.current.delete(n.id);
                    }}
                    tabIndex={-1}
                    className={read ? 'notice read' : 'notice unread'}
                    data-testid="notice"
                    aria-labelledby={`notice-${n.id}-title`}
                  >
                    <h3 id={`notice-${n.id}-title`} className="notice-title">
                      {!read && <span className="sr-only">Unread: </span>}
                      {n.title}
                    </h3>
                    <p>{n.body}</p>
                    <p className="notice-meta muted">
                      <time dateTime={n.createdAt}>{dateTime(n.createdAt)}</time>
                      {read && ' · Read'}
                    </p>
                    <p className="notice-actions">
                      <NoticeLink notice={n} onNavigate={() => setOpen(false)} />
                      {!read && (
                        <button type="button" className="link-button" aria-label={`Mark as read: ${n.title}`} onClick={() => void markRead(n)}>
                          Mark as read
                        </button>
                      )}
                    </p>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

/** The notice's link: within the app when it is on this site, otherwise an ordinary link (http/https only). */
function NoticeLink({ notice, onNavigate }: { notice: NoticeView; onNavigate: () => void }) {
  let url: URL;
  try {
    url = new URL(notice.link, window.location.href);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  // The visible word starts the accessible name (WCAG 2.5.3); the title tells the links apart.
  const label = `Open: ${notice.title}`;
  if (url.origin === window.location.origin) {
    return (
      <Link to={url.pathname + url.search + url.hash} aria-label={label} onClick={onNavigate}>
        Open
      </Link>
    );
  }
  return (
    <a href={url.href} aria-label={label} rel="noopener noreferrer">
      Open
    </a>
  );
}

/** The list as the server gave it, plus notices that arrived live and are not in it yet, newest first. */
function merge(fromServer: NoticeView[], current: NoticeView[]): NoticeView[] {
  const ids = new Set(fromServer.map((n) => n.id));
  return [...current.filter((n) => !ids.has(n.id)), ...fromServer].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, Math.max(LIST_LIMIT, current.length));
}

/** A `notice` event's data: a NoticeView as JSON (anything else is ignored). */
function parseNotice(data: string): NoticeView | null {
  try {
    const v = JSON.parse(data) as Partial<NoticeView> | null;
    const ok =
      v !== null &&
      typeof v === 'object' &&
      typeof v.id === 'string' &&
      typeof v.kind === 'string' &&
      typeof v.title === 'string' &&
      typeof v.body === 'string' &&
      typeof v.link === 'string' &&
      typeof v.popup === 'boolean' &&
      typeof v.createdAt === 'string' &&
      (v.readAt === null || typeof v.readAt === 'string');
    return ok ? (v as NoticeView) : null;
  } catch {
    return null;
  }
}
