import { IDENTIFIER_LABELS, type OrganizationKind, type OrganizationSummary } from '@am/contracts';

export { ROLE_LABELS as ROLE_LABEL } from '@am/contracts';

/** "TIN: 000549237", as the guides show an organization's identifier. */
export const identifierOf = (o: Pick<OrganizationSummary, 'kind' | 'identifier'>) => `${IDENTIFIER_LABELS[o.kind]}: ${o.identifier}`;

export const KIND_TABS: { kind: OrganizationKind; label: string }[] = [
  { kind: 'APM_ENTITY', label: 'APM Entities' },
  { kind: 'REGISTRY', label: 'Registries' },
  { kind: 'VIRTUAL_GROUP', label: 'Virtual Groups' },
  { kind: 'PRACTICE', label: 'Practices' },
];

export const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

export const dateTime = (iso: string) => new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
export const date = (iso: string) => new Date(iso + (iso.length === 10 ? 'T00:00:00Z' : '')).toLocaleDateString('en-US', { month: 'long', day: 'numeric', timeZone: 'UTC' });

/** "4:59": minutes and seconds left until `untilMs`, never below 0:00. */
export function timeLeft(untilMs: number, nowMs: number): string {
  const s = Math.max(0, Math.ceil((untilMs - nowMs) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** "3 days", "5 hours", "12 minutes": how long something has waited, in the largest whole unit. */
export function ageInWords(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return 'less than a minute';
  if (s < 3600) return plural(Math.floor(s / 60), 'minute');
  if (s < 86_400) return plural(Math.floor(s / 3600), 'hour');
  return plural(Math.floor(s / 86_400), 'day');
}
