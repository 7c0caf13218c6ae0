import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { query } from '@am/devstack';

/** Every file under a directory (the run's logs), recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every row of every table of every schema (the directory's and the notifications'), as JSON text: where a secret must not be. */
export async function databaseDump(databaseUrl: string): Promise<string> {
  const tables = await query<{ schema: string; name: string }>(
    databaseUrl,
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
  );
  const parts: string[] = [];
  for (const t of tables) {
    const rows = await query<{ row: unknown }>(databaseUrl, `SELECT row_to_json(t)::text AS row FROM "${t.schema}"."${t.name}" t`);
    parts.push(...rows.map((r) => String(r.row)));
  }
  return parts.join('\n');
}
