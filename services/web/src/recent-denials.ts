import { useSyncExternalStore } from 'react';
import type { RoleRequestView } from '@am/contracts';

/**
 * Denials this tab made, kept so their rows can offer Undo while the server's undo window is open
 * (issue 17): once denied, a request leaves the pending list the API answers. Kept in
 * sessionStorage (gone when the tab closes), per decider, so a reload still offers Undo.
 */
export interface RecentDenial {
  request: RoleRequestView;
  /** Who denied it here: another person signing in to this tab does not see it. */
  deciderId: string;
  /** The server's word after the window (409 on undo), when there was one. */
  finalNote?: string;
}

const KEY = 'access-manager.recent-denials';
// A final denial stays listed until dismissed, but not forever.
const KEEP_FINAL_MS = 60 * 60 * 1000;
const listeners = new Set<() => void>();
let cache: RecentDenial[] | null = null;

function read(): RecentDenial[] {
  if (cache) return cache;
  try {
    const parsed = JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as RecentDenial[];
    const now = Date.now();
    cache = Array.isArray(parsed) ? parsed.filter((d) => d?.request?.id && Date.parse(d.request.undoUntil ?? '') + KEEP_FINAL_MS > now) : [];
  } catch {
    cache = [];
  }
  return cache;
}

function write(next: RecentDenial[]): void {
  cache = next;
  sessionStorage.setItem(KEY, JSON.stringify(next));
  listeners.forEach((fn) => fn());
}

/** Remembers denials that came back with an undo window (the others are final already). */
export function rememberDenials(requests: RoleRequestView[], deciderId: string): void {
  const undoable = requests.filter((r) => r.status === 'DENIED' && r.undoUntil);
  if (undoable.length === 0) return;
  const ids = new Set(undoable.map((r) => r.id));
  write([...read().filter((d) => !ids.has(d.request.id)), ...undoable.map((request) => ({ request, deciderId }))]);
}

export function forgetDenials(requestIds: Iterable<string>): void {
  const ids = new Set(requestIds);
  if (read().some((d) => ids.has(d.request.id))) write(read().filter((d) => !ids.has(d.request.id)));
}

/** Marks a denial final with the server's message (an undo refused with 409). */
export function markDenialFinal(requestId: string, note: string): void {
  write(read().map((d) => (d.request.id === requestId ? { ...d, finalNote: note } : d)));
}

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** This decider's recent denials, re-rendered on every change. */
export function useRecentDenials(deciderId: string): RecentDenial[] {
  return useSyncExternalStore(subscribe, read).filter((d) => d.deciderId === deciderId);
}
