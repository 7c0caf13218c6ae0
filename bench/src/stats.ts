import { performance } from 'node:perf_hooks';

/** Latencies in milliseconds and what they add up to. */
export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

export interface LoadResult {
  /** Whole iterations per second, over the wall time of the run. */
  throughput: number;
  seconds: number;
  /** Each iteration's wall time. */
  latency: Summary;
}

/**
 * Runs `iterations` calls of `one(i)` with at most `concurrency` in flight (closed loop: each
 * slot starts the next iteration when its last one ends). Any failure fails the run.
 */
export async function closedLoop(iterations: number, concurrency: number, one: (i: number) => Promise<void>): Promise<LoadResult> {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  const slot = async () => {
    while (next < iterations) {
      const i = next++;
      const t = performance.now();
      await one(i);
      times.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, iterations) }, slot));
  const seconds = (performance.now() - started) / 1000;
  return { throughput: iterations / seconds, seconds, latency: summarize(times) };
}

/** Times one call and records it in `into`. */
export async function timed<T>(into: number[], fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  try {
    return await fn();
  } finally {
    into.push(performance.now() - t);
  }
}

export const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a');

/** Fails, naming what was awaited, when `promise` has not settled within `timeoutMs`: a stuck iteration fails the run instead of hanging it. */
export async function within<T>(timeoutMs: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`No answer after ${timeoutMs} ms: ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export interface OpenLoopResult {
  /** From each call's scheduled send time until it answered: queueing behind a slow call is included. */
  latency: Summary;
  /** The rate asked for, and the rate the calls were actually sent at. */
  rate: number;
  sentRate: number;
  /** The most calls in flight at once. */
  maxInFlight: number;
  /** The most a call was sent after its scheduled time (the bench's own lag; large means the bench, not the system, was behind). */
  maxSendLagMs: number;
}

/**
 * An open-loop generator: call i is scheduled at start + i / rate, by the clock, whether or not the
 * earlier calls have answered, and its latency runs from that scheduled time (not from when it was
 * actually sent), so a stall shows as the queue it builds instead of hiding it (no coordinated
 * omission). Any failure fails the run.
 */
export async function openLoop(count: number, rate: number, one: (i: number) => Promise<void>): Promise<OpenLoopResult> {
  const times: number[] = [];
  const inFlight: Promise<void>[] = [];
  let active = 0;
  let maxInFlight = 0;
  let maxSendLagMs = 0;
  let failure: unknown;
  const start = performance.now() + 50;
  for (let i = 0; i < count && failure === undefined; i++) {
    const scheduled = start + (i * 1000) / rate;
    const wait = scheduled - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    maxSendLagMs = Math.max(maxSendLagMs, performance.now() - scheduled);
    active++;
    maxInFlight = Math.max(maxInFlight, active);
    inFlight.push(
      one(i).then(
        () => {
          times.push(performance.now() - scheduled);
          active--;
        },
        (err: unknown) => {
          failure ??= err;
          active--;
        },
      ),
    );
  }
  const sentSeconds = (performance.now() - start) / 1000;
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return { latency: summarize(times), rate, sentRate: count > 1 ? (count - 1) / Math.max(sentSeconds, 1e-9) : count, maxInFlight, maxSendLagMs };
}

/** Runs `one(i)` for i < n with at most `concurrency` at once, collecting the results in order. */
export async function mapLimit<T>(n: number, concurrency: number, one: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  await closedLoop(n, concurrency, async (i) => {
    out[i] = await one(i);
  });
  return out;
}
