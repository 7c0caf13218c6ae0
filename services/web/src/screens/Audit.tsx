import { useEffect, useState, type FormEvent } from 'react';
import type { AuditEventView, Page } from '@am/contracts';
import { api } from '../api/client';
import { isHelpDesk, useAuth } from '../auth';
import { ErrorNote, messageOf } from '../components/ErrorNote';
import { Pager } from '../components/Pager';
import { dateTime } from '../format';

const PAGE_SIZE = 50;

interface Filters {
  organizationId?: string;
  from?: string;
  to?: string;
}

/** The audit log (GET /api/v1/audit): Security Officials see their organizations', the help desk all. */
export function Audit() {
  const { user } = useAuth();
  const orgs = user.roles.filter((r) => r.role === 'SECURITY_OFFICIAL').map((r) => r.organization);
  const [form, setForm] = useState({ organizationId: '', from: '', to: '' });
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<AuditEventView> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [downloading, setDownloading] = useState(false);

  useEffect(() => {
    let live = true;
    api.audit({ ...filters, page, pageSize: PAGE_SIZE }).then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(null);
      },
      (err: unknown) => live && setError(messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [filters, page]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    // Dates are whole days: "to" includes the whole day it names.
    setFilters({
      organizationId: form.organizationId || undefined,
      from: form.from ? `${form.from}T00:00:00.000Z` : undefined,
      to: form.to ? `${form.to}T23:59:59.999Z` : undefined,
    });
    setPage(1);
  };

  const download = async () => {
    setDownloading(true);
    try {
      const blob = await api.auditCsv(filters);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = 'audit-events.csv';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setDownloading(false);
    }
  };

  const orgName = (id: string | null) => (id ? (orgs.find((o) => o.id === id)?.name ?? id) : '—');
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  return (
    <>
      <h1>Audit log</h1>
      <p>Every sign-in, request, decision, reminder, expiry, removal and registration change{isHelpDesk(user) ? '.' : ' at the organizations where you are a Security Official.'}</p>
      <form className="form card filters" onSubmit={apply} aria-label="Audit filters">
        <div className="field">
          <label htmlFor="audit-org">Organization</label>
          {isHelpDesk(user) ? (
            <input id="audit-org" placeholder="Organization id (all when empty)" value={form.organizationId} onChange={(e) => setForm({ ...form, organizationId: e.target.value })} />
          ) : (
            <select id="audit-org" value={form.organizationId} onChange={(e) => setForm({ ...form, organizationId: e.target.value })}>
              <option value="">All my organizations</option>
              {orgs.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          )}
        </div>
        <div className="field">
          <label htmlFor="audit-from">From</label>
          <input id="audit-from" type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To</label>
          <input id="audit-to" type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            Show events
          </button>
          <button type="button" className="secondary" onClick={() => void download()} disabled={downloading}>
            Download CSV
          </button>
        </div>
      </form>
      <ErrorNote error={error} />
      {data && (
        <section aria-labelledby="events-heading" className="section">
          <h2 id="events-heading">Events ({data.total})</h2>
          {/* A scrolling table must be reachable by keyboard (WCAG 2.1.1), so its region takes focus. */}
          {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="events-heading">
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Action</th>
                  <th scope="col">Organization</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {data.items.length === 0 && (
                  <tr>
                    <td colSpan={5} className="empty">
                      No events match these filters.
                    </td>
                  </tr>
                )}
                {data.items.map((e) => (
                  <tr key={e.id}>
                    <td>{dateTime(e.occurredAt)}</td>
                    <td>{e.action}</td>
                    <td>{orgName(e.organizationId)}</td>
                    <td className="mono">{e.actorId ?? 'system'}</td>
                    <td className="details">{Object.keys(e.details).length ? JSON.stringify(e.details) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager label="Audit pages" page={page} pages={pages} onPage={setPage} />
        </section>
      )}
    </>
  );
}
