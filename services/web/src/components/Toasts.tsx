import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { NoticeView } from '@am/contracts';

// Pop-ups in the lower right corner (the guide's "confirmation notification"), announced by
// screen readers through a polite live region that is always in the page: the screens'
// confirmations, and the in-app notices pushed live (PRODUCT.md rule 13).
type Tone = 'success' | 'error' | 'info';
interface Toast {
  id: number;
  text: string;
  tone: Tone;
  /** A live notice's title, shown above its body. */
  title?: string;
  /** A live notice's kind (e.g. "decision-confirmed"). */
  kind?: string;
}
const ToastContext = createContext<(text: string, tone?: Tone) => void>(() => undefined);
const NoticeToastContext = createContext<(notice: NoticeView) => void>(() => undefined);
export const useToast = () => useContext(ToastContext);
/** Shows an in-app notice as a pop-up with its title and body. */
export const useNoticeToast = () => useContext(NoticeToastContext);

const VISIBLE_MS = 10_000;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const timers = useRef(new Map<number, number>());
  const dismiss = useCallback((id: number) => {
    window.clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((ts) => ts.filter((t) => t.id !== id));
  }, []);
  const schedule = useCallback((id: number) => timers.current.set(id, window.setTimeout(() => dismiss(id), VISIBLE_MS)), [dismiss]);
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((t) => window.clearTimeout(t));
  }, []);

  const show = useCallback(
    (text: string, tone: Tone = 'success') => {
      const id = next.current++;
      // The live notice of the same thing may have arrived first (the stream can beat the answer):
      // it already says it.
      setToasts((ts) => (ts.some((t) => t.title !== undefined && t.text === text) ? ts : [...ts, { id, text, tone }]));
      schedule(id);
    },
    [schedule],
  );
  const showNotice = useCallback(
    (n: NoticeView) => {
      const id = next.current++;
      const toast: Toast = { id, text: n.body, tone: 'info', title: n.title, kind: n.kind };
      setToasts((ts) => {
        // The screen's own confirmation of the same thing (the approver's "You approved ...") is
        // still up: the notice takes its place rather than saying it twice.
        const same = ts.find((t) => t.title === undefined && t.text === n.body);
        if (!same) return [...ts, toast];
        window.clearTimeout(timers.current.get(same.id));
        timers.current.delete(same.id);
        return ts.map((t) => (t === same ? toast : t));
      });
      schedule(id);
    },
    [schedule],
  );
  return (
    <ToastContext.Provider value={show}>
      <NoticeToastContext.Provider value={showNotice}>
        {children}
        <div className="toasts" role="status" aria-live="polite" aria-label="Notifications">
          {toasts.map((t) => (
            <div key={t.id} className={`toast toast-${t.tone}`} data-testid="toast" data-notice-kind={t.kind}>
              <div className="toast-text">
                {t.title !== undefined && <strong className="toast-title">{t.title}</strong>}
                <span>{t.text}</span>
              </div>
              <button type="button" className="toast-close" onClick={() => dismiss(t.id)} aria-label="Dismiss">
                ×
              </button>
            </div>
          ))}
        </div>
      </NoticeToastContext.Provider>
    </ToastContext.Provider>
  );
}
