import type { Started } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const s = globalThis.__AM_STACK__ as Started | undefined;
  if (!s) return;
  await s.services?.stop();
  await Promise.all([s.mail?.stop(), s.temporal?.stop()]);
  try {
    await s.database?.drop();
  } finally {
    // An embedded server of this run's own stops and its data folder goes; a given one stays.
    await s.databaseServer?.stop();
  }
}
