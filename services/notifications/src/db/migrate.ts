// The notifications service's migrations, into its own PostgreSQL schema (DATABASE_SCHEMA).
// The runner is shared (libs/service-kit/src/migrations.ts); `node dist/db/migrate.js` runs it.
import { resolve } from 'node:path';
import { applySqlMigrations } from '@am/service-kit';

const MIGRATIONS_DIR = resolve(__dirname, '../../prisma/migrations');

/** Applies the notifications service's pending migrations into its own `schema`; returns the names applied. */
export function migrateUp(databaseUrl: string, schema: string, log?: (msg: string) => void): Promise<string[]> {
  return applySqlMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR, schema, log });
}

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is required');
    process.exit(2);
  }
  migrateUp(url, process.env.DATABASE_SCHEMA || 'notifications', console.log)
    .then((names) => console.log(names.length ? `Applied ${names.length} migration(s): ${names.join(', ')}` : 'Notifications schema is up to date.'))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
