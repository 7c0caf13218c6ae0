import { useEffect, useState } from 'react';
import { COVERAGE_STATES, type CoverageEntryView, type CoverageState, type Page } from '@am/contracts';
import { api } from '../api/client';
import { COVERAGE_LABEL, CoverageBadge, officialsInWords } from '../components/Coverage';
import { ErrorNote, messageOf } from '../components/ErrorNote';
import { Pager } from '../components/Pager';
import { ageInWords, identifierOf, plural } from '../format';
import { Link, useRouter } from '../router';

const PAGE_SIZE = 25;

/** The filter's choices: at risk (NONE and SINGLE, the API's default) or one state. */
const FILTERS: { value: '' | CoverageState; label: string }[] = [
  { value: '', label: 'At risk' },
  { value: 'NONE', label: COVERAGE_LABEL.NONE },
  { value: 'SINGLE', label: COVERAGE_LABEL.SINGLE },
  { value: 'COVERED', label: COVERAGE_LABEL.COVERED },
];

const stateOf = (query: string): '' | CoverageState => {
  const s = new URLSearchParams(query).get('state') ?? '';
  return (COVERAGE_STATES as readonly string[]).includes(s) ? (s as CoverageState) : '';
};

/**
 * The help desk's approver coverage: the organizations at risk (no Security Official, or only one
 * active), riskiest first, with their waiting requests and how long the oldest has waited.
 */
export function Coverage({ query }: { query: string }) {
  const { navigate } = useRouter();
  // The filter lives in the address (?state=), so a view can be bookmarked and gone back to.
  const state = stateOf(query);
  const [page, setPage] = useState(1);
  const [list, setList] = useState<Page<CoverageEntryView> | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.coverage({ state: state || undefined, page, pageSize: PAGE_SIZE }).then(
      (v) => {
        if (!live) return;
        setList(v);
        setError(null);
      },
      (err: unknown) => live && setError(messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [state, page]);

  const pages = list ? Math.max(1, Math.ceil(list.total / list.pageSize)) : 1;
  const filterLabel = FILTERS.find((f) => f.value === state)!.label;
  return (
    <>
      <h1>Coverage</h1>
      <p>
        Organizations that hang on one person: with no Security Official the Quality Payment Program decides their requests; with only one active Security
        Official nobody can approve them while that person is away. A Security Official is active when they signed in within the last 180 days.
      </p>
      <div className="filters card">
        <div className="field">
          <label htmlFor="coverage-state">Show</label>
          <select
            id="coverage-state"
            value={state}
            onChange={(e) => {
              setPage(1);
              setList(null);
              navigate(e.target.value ? `/coverage?state=${e.target.value}` : '/coverage', { replace: true });
            }}
          >
            {FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorNote error={error} />
      <section className="section" aria-labelledby="coverage-heading">
        <h2 id="coverage-heading">
          {filterLabel}
          {list ? ` (${list.total})` : ''}
        </h2>
        <p className="sr-only" role="status">
          {list ? `${plural(list.total, 'organization')}: ${filterLabel}` : ''}
        </p>
        {!list ? (
          !error && <p aria-busy="true">Loading…</p>
        ) : list.items.length === 0 ? (
          <p className="empty">No organizations.</p>
        ) : (
          <div className="table-wrap">
            <table className="coverage-table">
              <caption className="sr-only">
                Organizations: {filterLabel}, page {list.page} of {pages}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Organization</th>
                  <th scope="col">Coverage</th>
                  <th scope="col">Security Officials</th>
                  <th scope="col">Pending requests</th>
                  <th scope="col">Oldest waiting</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((e) => (
                  <tr key={e.organization.id} data-testid="coverage-row">
                    <th scope="row">
                      <Link to={`/organizations/${e.organization.id}/users`}>{e.organization.name}</Link>
                      <span className="muted block">{identifierOf(e.organization)}</span>
                    </th>
                    <td>
                      <CoverageBadge coverage={e.coverage} labelled={false} />
                    </td>
                    <td>{officialsInWords(e.coverage)}</td>
                    <td>{e.pendingRequests}</td>
                    <td>{e.oldestPendingAgeSeconds === null ? <span className="muted">None waiting</span> : ageInWords(e.oldestPendingAgeSeconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager label="Coverage pages" page={page} pages={pages} onPage={setPage} />
      </section>
    </>
  );
}
