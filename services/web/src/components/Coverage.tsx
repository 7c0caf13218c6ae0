import type { CoverageState, CoverageView } from '@am/contracts';
import { plural } from '../format';

/** The coverage states in words: what the badge says, and the help desk's filter. */
export const COVERAGE_LABEL: Record<CoverageState, string> = {
  NONE: 'No Security Official',
  SINGLE: 'One Security Official',
  COVERED: 'Covered',
};

/** "2 Security Officials (1 active)": how many hold the role, and how many signed in lately. */
export function officialsInWords(c: CoverageView): string {
  const all = plural(c.securityOfficials, 'Security Official');
  return c.activeSecurityOfficials === c.securityOfficials ? all : `${all} (${c.activeSecurityOfficials} active)`;
}

/**
 * An organization's approver coverage as a labelled badge: the words carry the state (the colour
 * only repeats it), e.g. "Approver coverage: One Security Official".
 */
export function CoverageBadge({ coverage, labelled = true }: { coverage: CoverageView; labelled?: boolean }) {
  const tone = coverage.state === 'COVERED' ? 'badge-ok' : coverage.state === 'SINGLE' ? 'badge-warn' : 'badge-danger';
  return (
    <span className="coverage" data-testid="coverage" data-state={coverage.state}>
      {labelled && <span className="coverage-label">Approver coverage: </span>}
      <span className={`badge ${tone}`}>{COVERAGE_LABEL[coverage.state]}</span>
    </span>
  );
}
