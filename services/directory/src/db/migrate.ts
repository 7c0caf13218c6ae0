// Applies prisma/migrations/<timestamp>_<name>/migration.sql in order and records each in Prisma's
// own _prisma_migrations table, under Prisma Migrate's advisory lock, so `prisma migrate deploy`
// and `migrate status` stay compatible wherever Prisma's native engine is available.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { Umzug, type UmzugStorage } from 'umzug';

const PRISMA_MIGRATE_LOCK = 72707369;
const MIGRATIONS_DIR = resolve(__dirname, '../../prisma/migrations');
const DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;

const sqlOf = (dir: string, name: string) => readFileSync(join(dir, name, 'migration.sql'), 'utf8');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function createMigrator(db: Client, dir: string, log: (msg: string) => void) {
  const storage: UmzugStorage<Client> = {
    async executed({ context }) {
      await context.query(DDL);
      const { rows } = await context.query<{ migration_name: string; checksum: string }>(
        `SELECT migration_name, checksum FROM "_prisma_migrations"
         WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY started_at`,
      );
      for (const r of rows) {
        if (existsSync(join(dir, r.migration_name)) && sha256(sqlOf(dir, r.migration_name)) !== r.checksum) {
          throw new Error(`Migration ${r.migration_name} was modified after it was applied`);
        }
      }
      return rows.map((r) => r.migration_name);
    },
    async logMigration({ name, context }) {
      await context.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), 1)`,
        [randomUUID(), sha256(sqlOf(dir, name)), name],
      );
    },
    async unlogMigration({ name, context }) {
      await context.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [name]);
    },
  };
  return new Umzug<Client>({
    context: db,
    storage,
    logger: { info: (e) => log(JSON.stringify(e)), warn: (e) => log(JSON.stringify(e)), error: (e) => log(JSON.stringify(e)), debug: () => undefined },
    migrations: () =>
      readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
        .map((d) => d.name)
        .sort()
        .map((name) => ({
          name,
          path: join(dir, name, 'migration.sql'),
          // Each migration and its record commit together: a failure leaves nothing half-applied.
          up: async ({ context }) => {
            await context.query('BEGIN');
            try {
              await context.query(sqlOf(dir, name));
              await context.query('COMMIT');
            } catch (e) {
              await context.query('ROLLBACK');
              throw e;
            }
          },
        })),
  });
}

/** Applies pending migrations; returns the names applied. Safe to run concurrently. */
export async function migrateUp(databaseUrl: string, log: (msg: string) => void = () => undefined): Promise<string[]> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    const applied = await createMigrator(db, MIGRATIONS_DIR, log).up();
    return applied.map((m) => m.name);
  } finally {
    await db.end();
  }
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
