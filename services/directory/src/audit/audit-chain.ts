import { createHash } from 'node:crypto';

/** The fields of an audit event that its hash covers, with the previous event's hash. */
export interface ChainedEvent {
  id: string;
  occurredAt: Date;
  actorId: string | null;
  action: string;
  organizationId: string | null;
  subjectId: string | null;
  details: unknown;
  prevHash: string | null;
}

/** JSON with object keys sorted at every depth, so the same event always serializes alike (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(JSON.parse(JSON.stringify(value ?? null))));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, sortKeys(obj[k])]));
  }
  return value;
}

/** sha256 (hex) over the canonical serialization of the event, including the previous event's hash. */
export function hashEvent(e: ChainedEvent): string {
  const canonical = canonicalJson({
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    actorId: e.actorId,
    action: e.action,
    organizationId: e.organizationId,
    subjectId: e.subjectId,
    details: e.details ?? {},
    prevHash: e.prevHash,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

export interface StoredEvent extends ChainedEvent {
  hash: string | null;
}

export interface ChainBreak {
  id: string;
  reason: string;
}

/**
 * Walks the log in id order and answers the first event that does not fit the chain. Events from
 * before the chain existed (no hash) are accepted only before the first hashed one.
 */
export class ChainVerifier {
  private previousHash: string | null = null;
  private chainStarted = false;
  checked = 0;

  /** Returns the break at this event, or null when it fits. */
  next(e: StoredEvent): ChainBreak | null {
    this.checked++;
    if (e.hash === null) {
      if (this.chainStarted) return { id: e.id, reason: 'has no hash although earlier events are chained' };
      return null;
    }
    if (e.prevHash !== this.previousHash) {
      return { id: e.id, reason: `its previous-hash does not match the event before it (an event before it was altered or removed)` };
    }
    if (hashEvent(e) !== e.hash) return { id: e.id, reason: 'its content does not match its hash (the event was altered)' };
    this.chainStarted = true;
    this.previousHash = e.hash;
    return null;
  }
}
