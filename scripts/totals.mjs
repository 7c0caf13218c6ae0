#!/usr/bin/env node
// Prints jest's totals as one plain line, "N passed, N failed, N skipped", summed over the result
// files given (jest --json output); a missing file counts as one failure (its run never finished).
//   node scripts/totals.mjs .data/jest-results.json [.data/rehearsal-results.json]
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function totals(files) {
  const t = { passed: 0, failed: 0, skipped: 0 };
  for (const f of files) {
    if (!existsSync(f)) {
      t.failed += 1;
      continue;
    }
    const r = JSON.parse(readFileSync(f, 'utf8'));
    t.passed += r.numPassedTests;
    t.failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
    t.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  }
  return `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(totals(process.argv.slice(2)));
