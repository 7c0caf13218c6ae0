import { pipeline, Readable } from 'node:stream';
import { stringify, type Stringifier } from 'csv-stringify';
import type { AuditCursor, AuditEventView, Page } from '@am/contracts';

export const CSV_COLUMNS = ['id', 'occurredAt', 'action', 'actorId', 'organizationId', 'subjectId', 'details', 'prevHash', 'hash'] as const;

/**
 * What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): =, +, -, @, a tab
 * or a carriage return first; and the full-width =, +, -, @ that some spreadsheets read alike.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * A cell that a spreadsheet shows as text, never runs (every export is inert, PRODUCT.md section
 * 8): one that would start a formula gets a leading single quote and is always quoted, so the
 * quote is the first character inside the cell whatever else it holds. Others are left as they are.
 */
export function inertCell(value: string): string | { value: string; quoted: true } {
  return FORMULA_START.test(value) ? { value: `'${value}`, quoted: true } : value;
}

/** Reads one page of the audit log: the first (no cursor), or the one after an event (keyset). */
export type AuditPageReader = (after: AuditCursor | undefined) => Promise<Page<AuditEventView>>;

/**
 * Every event from the first page on, reading the next page (after the last event of the one
 * before) only once the consumer has taken the previous one: at most one page is held at a time.
 * Stops after `maxRows` events.
 */
export async function* auditEvents(first: Page<AuditEventView>, read: AuditPageReader, pageSize: number, maxRows: number): AsyncGenerator<AuditEventView> {
  let page = first;
  let sent = 0;
  for (;;) {
    for (const event of page.items) {
      if (sent >= maxRows) return;
      sent++;
      yield event;
    }
    const last = page.items.at(-1);
    if (!last || page.items.length < pageSize || sent >= maxRows) return;
    page = await read({ occurredAt: last.occurredAt, id: last.id });
  }
}

/**
 * The events as CSV (a header, then a row each; details as JSON), written as they are read: the
 * stream pulls events only as fast as its reader takes the text, so memory stays bounded however
 * many rows there are. Every cell is inert (inertCell). Destroying the stream stops the reading,
 * and a failed read fails the stream.
 */
export function auditCsv(events: AsyncIterable<AuditEventView>): Stringifier {
  async function* records() {
    for await (const e of events) yield { ...e, details: JSON.stringify(e.details) };
  }
  const csv = stringify({ header: true, columns: [...CSV_COLUMNS], cast: { string: inertCell } });
  // pipeline passes an error (or the end) of either side to the other; the reader sees it on `csv`.
  pipeline(Readable.from(records()), csv, () => undefined);
  return csv;
}
