/** A cell as it was written: its text (quotes undone) and whether it was quoted. */
export interface CsvCell {
  value: string;
  quoted: boolean;
}

/**
 * Parses RFC 4180 CSV (commas, double-quoted cells with "" for a quote, CRLF or LF between
 * records, CR and LF kept inside quoted cells), keeping whether each cell was quoted.
 */
export function parseCsv(text: string): CsvCell[][] {
  const rows: CsvCell[][] = [];
  let row: CsvCell[] = [];
  let i = 0;
  while (i < text.length) {
    let value = '';
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted cell');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') value += text[i++];
    }
    row.push({ value, quoted });
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else if (text[i] === '\n' || text[i] === '\r') i++;
    else if (i < text.length) throw new Error(`unexpected ${JSON.stringify(text[i])} after a cell at ${i}`);
    rows.push(row);
    row = [];
  }
  if (row.length) rows.push(row);
  return rows;
}
