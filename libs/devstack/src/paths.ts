import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (this file lives at libs/devstack/dist/paths.js once built). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** Where builds that outlive a clone are cached (the Temporal CLI). */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ACCESS_MANAGER_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'access-manager');
}

export function serviceEntry(service: string): string {
  return join(REPO_ROOT, 'services', service, 'dist', 'main.js');
}
