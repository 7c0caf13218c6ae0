// The programs the integration tests drive besides Node: a Chromium for the web UI tests,
// nats-server for the NATS transport test and openssl for the test certificates. `npm test` finds
// each or installs it the platform's ordinary way before any test runs (scripts/test.mjs), and
// stops with one message naming the command to run when it cannot.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

/** What the lookups read from the machine; tests pass their own. */
export interface Host {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
  isRoot: boolean;
  /** ID and ID_LIKE of /etc/os-release, lower case (e.g. ['debian'] or ['ubuntu', 'debian']). */
  osIds: string[];
  isExecutable(path: string): boolean;
  listDir(dir: string): string[];
  /** `command -v name` */
  which(name: string): string | undefined;
}

export function thisHost(env: NodeJS.ProcessEnv = process.env): Host {
  let osIds: string[] = [];
  try {
    const rel = readFileSync('/etc/os-release', 'utf8');
    const field = (k: string) => rel.match(new RegExp(`^${k}=(.*)$`, 'm'))?.[1]?.replace(/^"|"$/g, '') ?? '';
    osIds = `${field('ID')} ${field('ID_LIKE')}`.toLowerCase().split(/\s+/).filter(Boolean);
  } catch {
    // not Linux, or no os-release
  }
  return {
    platform: process.platform,
    env,
    home: homedir(),
    isRoot: process.getuid?.() === 0,
    osIds,
    isExecutable(path) {
      try {
        accessSync(path, constants.X_OK);
        return statSync(path).isFile();
      } catch {
        return false;
      }
    },
    listDir: (dir) => readdirSafe(dir) ?? [],
    which(name) {
      try {
        return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
      } catch {
        return undefined;
      }
    },
  };
}

function readdirSafe(dir: string): string[] | undefined {
  try {
    return readdirSync(dir);
  } catch {
    return undefined;
  }
}

/** Where browsers usually live when a package manager or installer put them there. */
export const SYSTEM_CHROMIUM_PATHS: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/microsoft-edge',
    '/snap/bin/chromium',
    '/usr/lib/chromium/chromium',
    '/opt/google/chrome/chrome',
  ],
  darwin: [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  ],
  win32: ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe'],
};

/** Playwright's browser cache folders (PLAYWRIGHT_BROWSERS_PATH, else the platform's default). */
export function playwrightCacheDirs(host: Host): string[] {
  const custom = host.env.PLAYWRIGHT_BROWSERS_PATH;
  const dirs = custom && custom !== '0' ? [custom] : [];
  if (host.platform === 'darwin') dirs.push(join(host.home, 'Library', 'Caches', 'ms-playwright'));
  else if (host.platform === 'win32') dirs.push(join(host.env.LOCALAPPDATA ?? join(host.home, 'AppData', 'Local'), 'ms-playwright'));
  else dirs.push(join(host.env.XDG_CACHE_HOME ?? join(host.home, '.cache'), 'ms-playwright'));
  return dirs;
}

/** The executables inside one Playwright revision folder, by platform (older and newer layouts). */
function playwrightExecutables(platform: NodeJS.Platform, kind: 'chromium' | 'headless'): string[] {
  if (kind === 'chromium') {
    if (platform === 'darwin') {
      return [
        'chrome-mac/Chromium.app/Contents/MacOS/Chromium',
        'chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
        'chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
      ];
    }
    if (platform === 'win32') return ['chrome-win/chrome.exe', 'chrome-win64/chrome.exe'];
    return ['chrome-linux/chrome', 'chrome-linux64/chrome'];
  }
  if (platform === 'darwin') return ['chrome-mac/headless_shell', 'chrome-headless-shell-mac-arm64/chrome-headless-shell', 'chrome-headless-shell-mac-x64/chrome-headless-shell'];
  if (platform === 'win32') return ['chrome-win/headless_shell.exe', 'chrome-headless-shell-win64/chrome-headless-shell.exe'];
  return ['chrome-linux/headless_shell', 'chrome-headless-shell-linux64/chrome-headless-shell'];
}

export interface FoundBrowser {
  path: string;
  source: 'CHROMIUM_PATH' | 'system' | 'playwright';
}

/**
 * The Chromium the browser tests use, in this order: CHROMIUM_PATH (which must exist when set);
 * the usual install paths; Playwright's browser cache (newest revision first, the full browser
 * before the headless shell). Undefined when there is none.
 */
export function findChromium(host: Host = thisHost()): FoundBrowser | undefined {
  const given = host.env.CHROMIUM_PATH;
  if (given) {
    if (!host.isExecutable(given)) throw new Error(`CHROMIUM_PATH is ${given}, which is not an executable file: point it at a Chromium or Chrome, or unset it.`);
    return { path: given, source: 'CHROMIUM_PATH' };
  }
  for (const p of SYSTEM_CHROMIUM_PATHS[host.platform] ?? []) if (host.isExecutable(p)) return { path: p, source: 'system' };
  for (const kind of ['chromium', 'headless'] as const) {
    const prefix = kind === 'chromium' ? 'chromium-' : 'chromium_headless_shell-';
    for (const cache of playwrightCacheDirs(host)) {
      const revisions = host
        .listDir(cache)
        .filter((d) => d.startsWith(prefix) && /^\d+$/.test(d.slice(prefix.length)))
        .sort((a, b) => Number(b.slice(prefix.length)) - Number(a.slice(prefix.length)));
      for (const r of revisions) {
        for (const exe of playwrightExecutables(host.platform, kind)) {
          const p = join(cache, r, exe);
          if (host.isExecutable(p)) return { path: p, source: 'playwright' };
        }
      }
    }
  }
  return undefined;
}

export type TestTool = 'chromium' | 'nats-server' | 'openssl';
export const TEST_TOOLS: readonly TestTool[] = ['chromium', 'nats-server', 'openssl'];

/** Where each tool is, when it is there. */
export function findTestTool(tool: TestTool, host: Host = thisHost()): string | undefined {
  switch (tool) {
    case 'chromium':
      return findChromium(host)?.path;
    case 'nats-server':
      if (host.env.NATS_SERVER) return host.isExecutable(host.env.NATS_SERVER) ? host.env.NATS_SERVER : undefined;
      return host.which('nats-server') ?? (host.isExecutable('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : undefined);
    case 'openssl':
      return host.which('openssl');
  }
}

const DEBIAN_PACKAGES: Record<TestTool, string> = { chromium: 'chromium', 'nats-server': 'nats-server', openssl: 'openssl' };

export interface InstallPlan {
  /** Commands `npm test` runs itself, in order (empty when it cannot install anything here). */
  commands: string[][];
  /** What to tell a person to run when the tools are still missing afterwards. */
  manual: string;
}

/**
 * How to get the missing tools the platform's ordinary way: Debian's packages with apt-get as
 * root on Debian or Ubuntu; elsewhere Playwright's own Chromium (`playwright-core install`, the
 * revision the pinned playwright-core drives) and, for the others, the command to run by hand.
 */
export function installPlan(missing: TestTool[], host: Host = thisHost()): InstallPlan {
  if (missing.length === 0) return { commands: [], manual: '' };
  const debianLike = host.platform === 'linux' && host.osIds.some((id) => id === 'debian' || id === 'ubuntu');
  const packages = missing.map((t) => DEBIAN_PACKAGES[t]);
  const apt = `apt-get update && apt-get install -y ${packages.join(' ')}`;
  if (debianLike && host.isRoot && host.which('apt-get')) {
    return {
      commands: [
        ['apt-get', 'update', '-qq'],
        // --reinstall: also when the package is installed but its program was removed.
        ['apt-get', 'install', '-y', '-qq', '--reinstall', ...packages],
      ],
      manual: apt,
    };
  }
  // Elsewhere: Playwright's own Chromium, the revision the pinned playwright-core drives.
  const commands = missing.includes('chromium') ? [[process.execPath, join(REPO_ROOT, 'node_modules', 'playwright-core', 'cli.js'), 'install', 'chromium']] : [];
  if (debianLike) return { commands, manual: `sudo sh -c '${apt}'` };
  const others = missing.filter((t) => t !== 'chromium');
  const manual = [
    missing.includes('chromium') ? 'npx playwright-core install chromium' : '',
    others.length ? `${host.platform === 'darwin' ? 'brew install' : 'install'} ${others.join(' ')}` : '',
  ];
  return { commands, manual: manual.filter(Boolean).join(' and ') };
}

export interface ToolCheck {
  /** Each tool's path, for the tools found (after installing, when needed). */
  found: Partial<Record<TestTool, string>>;
  /** Set when some are still missing: one message naming what is missing and the command to run. */
  problem?: string;
}

/**
 * Finds the tools, installs what is missing where it can (`run` runs one command and returns its
 * exit code), and looks again. Never throws for a missing tool: the caller stops with `problem`.
 */
export function ensureTestTools(o: {
  tools?: readonly TestTool[];
  host?: Host;
  log?: (line: string) => void;
  run?: (argv: string[]) => number;
}): ToolCheck {
  const tools = o.tools ?? TEST_TOOLS;
  const host = o.host ?? thisHost();
  const log = o.log ?? ((l: string) => console.log(l));
  const run = o.run ?? ((argv: string[]) => spawnSync(argv[0]!, argv.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status ?? 1);
  const look = (): ToolCheck => {
    const found: Partial<Record<TestTool, string>> = {};
    for (const t of tools) {
      try {
        const p = findTestTool(t, host);
        if (p) found[t] = p;
      } catch (err) {
        return { found, problem: err instanceof Error ? err.message : String(err) };
      }
    }
    return { found };
  };
  const first = look();
  if (first.problem) return first;
  const missing = tools.filter((t) => !first.found[t]);
  if (missing.length === 0) return first;
  const plan = installPlan(missing, host);
  for (const argv of plan.commands) {
    log(`Installing ${missing.join(', ')} for the tests: ${argv.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`);
    if (run(argv) !== 0) break;
  }
  const after = look();
  if (after.problem) return after;
  const still = tools.filter((t) => !after.found[t]);
  if (still.length === 0) return after;
  const what = still.map((t) => (t === 'chromium' ? 'no Chromium (tried CHROMIUM_PATH, the usual install paths and Playwright’s browser cache)' : `no ${t}`));
  return {
    found: after.found,
    problem: `The integration tests need programs this machine lacks: ${what.join('; ')}. Run: ${plan.manual}${still.includes('chromium') ? ' (or set CHROMIUM_PATH to a Chromium or Chrome)' : ''}, then npm test again.`,
  };
}
