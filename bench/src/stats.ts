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
