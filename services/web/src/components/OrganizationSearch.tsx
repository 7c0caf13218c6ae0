import { useState } from 'react';
import type { OrganizationView } from '@am/contracts';
import { api } from '../api/client';
import { identifierOf, plural } from '../format';
import { messageOf } from './ErrorNote';
import { TextField } from './Form';

const MAX_SHOWN = 20;

/**
 * Finding one organization by name or identifier (GET /organizations), as a form's field: the
 * search's state, so the form can check that one was chosen and say why not.
 */
export function useOrganizationSearch() {
  const [q, setQ] = useState('');
  const [results, setResults] = useState<OrganizationView[] | null>(null);
  const [total, setTotal] = useState(0);
  const [orgId, setOrgId] = useState<string | null>(null);
  return {
    q,
    results,
    total,
    orgId,
    /** The chosen organization, when one is. */
    chosen: results?.find((o) => o.id === orgId) ?? null,
    choose: setOrgId,
    type(next: string) {
      setQ(next);
      setResults(null);
      setOrgId(null);
    },
    /** Searches for what was typed: null when it could, else the problem to show at the field. A single match is chosen at once. */
    async find(): Promise<string | null> {
      if (!q.trim()) return 'Enter an organization name or identifier to find it.';
      try {
        const found = await api.searchOrganizations({ q: q.trim(), pageSize: MAX_SHOWN });
        setResults(found.items);
        setTotal(found.total);
        setOrgId(found.items.length === 1 ? found.items[0]!.id : null);
        return null;
      } catch (err) {
        return messageOf(err);
      }
    },
  };
}
export type OrganizationSearch = ReturnType<typeof useOrganizationSearch>;

/**
 * The search field (Enter or Find searches), then the matches as radio buttons: the help desk's
 * forms that concern one organization (an access review campaign, a webhook endpoint).
 */
export function OrganizationSearchField({
  id,
  radioName,
  search,
  error,
  onFind,
}: {
  /** The input's id: the form's error summary links to it. */
  id: string;
  radioName: string;
  search: OrganizationSearch;
  error?: string;
  /** Called by Enter and by Find: the form runs search.find() and shows its answer at the field. */
  onFind: () => void;
}) {
  const { q, results, total, orgId } = search;
  return (
    <>
      <TextField
        id={id}
        label="Organization name or identifier"
        hint="For example its name, or a 9-digit TIN. Press Enter or Find."
        error={error}
        type="search"
        value={q}
        onChange={(e) => search.type(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return;
          e.preventDefault();
          onFind();
        }}
        after={
          <button type="button" className="secondary" onClick={onFind}>
            Find
          </button>
        }
      />
      {results &&
        (results.length === 0 ? (
          <p className="empty" role="status">
            No organization matches “{q}”.
          </p>
        ) : (
          <fieldset>
            <legend>
              Organization ({plural(total, 'match', 'matches')}
              {total > results.length ? `, showing ${results.length}: narrow your search` : ''})
            </legend>
            <ul className="choice-list">
              {results.map((o) => (
                <li key={o.id}>
                  <label className="choice">
                    <input type="radio" name={radioName} value={o.id} checked={orgId === o.id} onChange={() => search.choose(o.id)} />
                    {o.name}
                    <span className="muted">{identifierOf(o)}</span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        ))}
    </>
  );
}
