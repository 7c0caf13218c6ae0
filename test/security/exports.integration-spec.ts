// Issue 14: every export is inert (PRODUCT.md section 8). The audit log's CSV export carries text
// that anyone can put there (a user id typed at sign-in, an API key's name): no cell may start
// with a character a spreadsheet reads as a formula, and the export is streamed page by page.
import { randomBytes } from 'node:crypto';
import { anonymous, signIn, type Api } from '../support/api';
import { parseCsv, type CsvCell } from '../support/csv';
import { createUser } from '../support/factories';
import { rawRequest, type RawAnswer } from '../support/http';

/** OWASP's CSV-injection characters, and their full-width forms that spreadsheets also read. */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const COLUMNS = ['id', 'occurredAt', 'action', 'actorId', 'organizationId', 'subjectId', 'details', 'prevHash', 'hash'];

async function exportCsv(api: Api, query: string): Promise<{ res: RawAnswer; text: string; rows: Record<string, CsvCell>[] }> {
  const res = await rawRequest({ method: 'GET', path: `/api/v1/audit?format=csv&${query}`, headers: { authorization: `Bearer ${api.token}` } });
  const text = res.text;
  if (res.status !== 200) return { res, text, rows: [] };
  const [header, ...records] = parseCsv(text);
  expect(header.map((c) => c.value)).toEqual(COLUMNS);
  return { res, text, rows: records.map((r) => Object.fromEntries(COLUMNS.map((c, i) => [c, r[i]]))) };
}

function expectInert(rows: Record<string, CsvCell>[]): void {
  const live = rows.flatMap((r) => Object.entries(r).filter(([, cell]) => FORMULA_START.test(cell.value)).map(([column, cell]) => `${r.id.value} ${column}: ${JSON.stringify(cell.value)}`));
  expect(live).toEqual([]);
}

describe('the audit CSV export', () => {
  let helpDesk: Api;
  beforeAll(async () => {
    helpDesk = await signIn(await createUser({ platformRole: 'HELP_DESK' }));
  });

  it('neutralises a formula typed as the user id of a failed sign-in, and every other formula-like cell', async () => {
    const from = new Date(Date.now() - 1_000).toISOString();
    const tag = randomBytes(3).toString('hex');
    const typed = [
      `=HYPERLINK("http://x.example","click")`,
      `+SUM(1,2)${tag}`,
      `-2+3+cmd|' /C calc'!A0${tag}`,
      `@SUM(1+1)*cmd|' /C calc'!A0${tag}`,
      `\t=1+1${tag}`,
      `\r=1+1${tag}`,
      `\uFF1D1+1${tag}`,
    ];
    for (const userId of typed) {
      const res = await anonymous.post('/api/v1/auth/sign-in', { userId, password: 'not the password', acceptStatementOfTruth: true });
      expect(res.status).toBe(401);
    }

    const { res, text, rows } = await exportCsv(helpDesk, `from=${encodeURIComponent(from)}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="audit-events.csv"');
    expectInert(rows);

    const failed = rows.filter((r) => r.action.value === 'auth.sign-in.failed');
    for (const userId of typed) {
      // The cell keeps what was typed, behind a single quote, and is quoted.
      const cell = failed.find((r) => r.subjectId.value === `'${userId}`)?.subjectId;
      expect({ userId, cell }).toEqual({ userId, cell: { value: `'${userId}`, quoted: true } });
    }
    expect(text).toContain(`"'=HYPERLINK(""http://x.example"",""click"")"`);
  });

  it('streams every matching event, page after page, each once and newest first', async () => {
    const from = new Date(Date.now() - 1_000).toISOString();
    const tag = randomBytes(3).toString('hex');
    const count = 450; // more than two of the directory's pages (MAX_PAGE_SIZE 200)
    const names = Array.from({ length: count }, (_, i) => `=cmd|' /C calc'!A0 ${tag} ${i}`);
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < names.length) {
          const name = names[next++];
          const created = await helpDesk.post('/api/v1/api-keys', { name, scopes: ['organizations:read'] });
          expect(created.status).toBe(201);
        }
      }),
    );

    const { res, rows } = await exportCsv(helpDesk, `from=${encodeURIComponent(from)}`);
    expect(res.status).toBe(200);
    // Written as it is read: no length known up front.
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expectInert(rows);

    const ours = rows.filter((r) => r.action.value === 'api-key.created' && r.details.value.includes(tag));
    const exported = ours.map((r) => (JSON.parse(r.details.value) as { name: string }).name);
    expect(new Set(exported).size).toBe(exported.length);
    expect([...exported].sort()).toEqual([...names].sort());
    const ids = ours.map((r) => BigInt(r.id.value));
    expect(ids.every((id, i) => i === 0 || id < ids[i - 1])).toBe(true);
  });

  it('refuses the export to whoever may not read the log, in the error shape', async () => {
    const { res, text } = await exportCsv(await signIn(await createUser()), '');
    expect(res.status).toBe(403);
    expect(JSON.parse(text).error.code).toBe('FORBIDDEN');
  });
});
