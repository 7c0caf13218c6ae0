import type { Started } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const s = globalThis.__AM_STACK__ as Started | undefined;
  if (!s) return;
  await s.services?.stop();
  await Promise.all([s.mail?.stop(), s.temporal?.stop()]);
  await s.database?.drop();
}
