import { useEffect, useState } from 'react';

/** The current time in ms, ticking every second until `untilMs` has passed (a countdown). */
export function useCountdown(untilMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timers: number[] = [];
    const tick = () => {
      const t = Date.now();
      setNow(t);
      if (t >= untilMs) timers.forEach((id) => window.clearInterval(id));
    };
    if (untilMs > Date.now()) timers.push(window.setInterval(tick, 1000));
    tick();
    return () => timers.forEach((id) => window.clearInterval(id));
  }, [untilMs]);
  return now;
}
