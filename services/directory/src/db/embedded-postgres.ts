// Zero-setup database for `npm start` when DATABASE_URL is not set: PostgreSQL compiled to WASM
// (PGlite), kept in a folder and served on a loopback port, so the same pg / Prisma code path works.
import { mkdirSync } from 'node:fs';
import { PGlite, type Extension } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// Organization search uses a trigram index (migration 20261123101451). Loaded with require: the
// package exposes it only through its exports map, which this build's node10 resolution cannot see.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pg_trgm } = require('@electric-sql/pglite/contrib/pg_trgm') as { pg_trgm: Extension };

export async function startEmbeddedPostgres(dataDir: string, host: string, port: number) {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  const server = new PGLiteSocketServer({ db, host, port, maxConnections: 32 });
  await server.start();
  return {
    url: `postgresql://postgres:postgres@${host}:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

if (require.main === module) {
  const [dataDir, host = '127.0.0.1', port = '5433'] = process.argv.slice(2);
  if (!dataDir) {
    console.error('usage: embedded-postgres <data-dir> [host] [port]');
    process.exit(2);
  }
  startEmbeddedPostgres(dataDir, host, Number(port))
    .then((pg) => {
      console.log(`embedded PostgreSQL (PGlite) ready at ${pg.url}`);
      const stop = () => void pg.stop().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
