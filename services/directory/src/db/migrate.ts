// The directory's migrations, in the connection's default schema.
// The runner is shared (libs/service-kit/src/migrations.ts); `node dist/db/migrate.js` runs it.
import { resolve } from 'node:path';
import { applySqlMigrations } from '@am/service-kit';

const MIGRATIONS_DIR = resolve(__dirname, '../../prisma/migrations');

/** Applies the directory's pending migrations; returns the names applied. Safe to run concurrently. */
export function migrateUp(databaseUrl: string, log?: (msg: string) => void): Promise<string[]> {
  return applySqlMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR, log });
}

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is required');
    process.exit(2);
  }
  migrateUp(url, console.log)
    .then((names) => console.log(names.length ? `Applied ${names.length} migration(s): ${names.join(', ')}` : 'Database schema is up to date.'))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
