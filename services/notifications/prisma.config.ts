import { defineConfig } from 'prisma/config';

// Only `prisma generate` is used here: migrations are SQL applied by src/db/migrate.ts at boot,
// because Prisma 7's migrate commands need a native engine that cannot be downloaded on our machines.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/unused' },
});
