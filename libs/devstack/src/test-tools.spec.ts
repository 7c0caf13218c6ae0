import { findChromium, installPlan, ensureTestTools, type Host } from './test-tools';

/** A machine made of a list of executable files (and what `command -v` finds). */
function fakeHost(o: { files?: string[]; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; isRoot?: boolean; osIds?: string[]; onPath?: Record<string, string> } = {}): Host & { files: Set<string> } {
  const files = new Set(o.files ?? []);
  return {
    files,
    platform: o.platform ?? 'linux',
    env: o.env ?? {},
    home: '/home/dev',
    isRoot: o.isRoot ?? false,
    osIds: o.osIds ?? ['debian'],
    isExecutable: (p) => files.has(p),
    listDir: (dir) => [...new Set([...files].filter((f) => f.startsWith(`${dir}/`)).map((f) => f.slice(dir.length + 1).split('/')[0]!))],
    which: (name) => o.onPath?.[name] ?? ([...files].find((f) => f === `/usr/bin/${name}`) || undefined),
  };
}

describe('findChromium', () => {
  it('takes CHROMIUM_PATH first, over the usual install paths', () => {
    const host = fakeHost({ files: ['/opt/my/chrome', '/usr/bin/chromium'], env: { CHROMIUM_PATH: '/opt/my/chrome' } });
    expect(findChromium(host)).toEqual({ path: '/opt/my/chrome', source: 'CHROMIUM_PATH' });
  });

  it('refuses a CHROMIUM_PATH that does not exist instead of quietly taking another browser', () => {
    const host = fakeHost({ files: ['/usr/bin/chromium'], env: { CHROMIUM_PATH: '/nowhere/chrome' } });
    expect(() => findChromium(host)).toThrow('CHROMIUM_PATH is /nowhere/chrome, which is not an executable file');
  });

  it('tries the usual install paths in order', () => {
    expect(findChromium(fakeHost({ files: ['/usr/bin/chromium', '/usr/bin/google-chrome'] }))).toEqual({ path: '/usr/bin/chromium', source: 'system' });
    expect(findChromium(fakeHost({ files: ['/usr/bin/chromium-browser', '/usr/bin/google-chrome'] }))?.path).toBe('/usr/bin/chromium-browser');
    expect(findChromium(fakeHost({ files: ['/usr/bin/google-chrome'] }))?.path).toBe('/usr/bin/google-chrome');
  });

  it('prefers an installed browser over Playwright’s cache', () => {
    const host = fakeHost({ files: ['/usr/bin/google-chrome-stable', '/home/dev/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome'] });
    expect(findChromium(host)?.source).toBe('system');
  });

  it('finds Playwright’s Chromium in its cache, newest revision first, in either layout', () => {
    const host = fakeHost({
      files: [
        '/home/dev/.cache/ms-playwright/chromium-1091/chrome-linux/chrome',
        '/home/dev/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome',
        '/home/dev/.cache/ms-playwright/chromium-987/chrome-linux/chrome',
      ],
    });
    expect(findChromium(host)).toEqual({ path: '/home/dev/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome', source: 'playwright' });
  });

  it('looks in PLAYWRIGHT_BROWSERS_PATH, and takes the headless shell when no full Chromium is cached', () => {
    const shell = '/srv/browsers/chromium_headless_shell-1255/chrome-headless-shell-linux64/chrome-headless-shell';
    expect(findChromium(fakeHost({ files: [shell], env: { PLAYWRIGHT_BROWSERS_PATH: '/srv/browsers' } }))).toEqual({ path: shell, source: 'playwright' });
  });

  it('knows macOS’s places', () => {
    const host = fakeHost({ platform: 'darwin', files: ['/Users/dev/Library/Caches/ms-playwright/chromium-1255/chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing'] });
    expect(findChromium({ ...host, home: '/Users/dev' })?.source).toBe('playwright');
    expect(findChromium(fakeHost({ platform: 'darwin', files: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'] }))?.source).toBe('system');
  });

  it('finds none on a machine without a browser', () => {
    expect(findChromium(fakeHost({ files: ['/usr/bin/firefox'] }))).toBeUndefined();
  });
});

describe('installPlan', () => {
  it('uses apt-get (update first) as root on Debian or Ubuntu', () => {
    const host = fakeHost({ isRoot: true, osIds: ['ubuntu', 'debian'], files: ['/usr/bin/apt-get'] });
    expect(installPlan(['chromium', 'nats-server'], host)).toEqual({
      commands: [
        ['apt-get', 'update', '-qq'],
        ['apt-get', 'install', '-y', '-qq', '--reinstall', 'chromium', 'nats-server'],
      ],
      manual: 'apt-get update && apt-get install -y chromium nats-server',
    });
  });

  it('gets Playwright’s Chromium for a user who is not root, and names the apt-get command for the rest', () => {
    const plan = installPlan(['chromium', 'openssl'], fakeHost({ isRoot: false, files: ['/usr/bin/apt-get'] }));
    expect(plan.commands).toHaveLength(1);
    expect(plan.commands[0]!.slice(-2)).toEqual(['install', 'chromium']);
    expect(plan.commands[0]![1]).toMatch(/node_modules\/playwright-core\/cli\.js$/);
    expect(plan.manual).toBe("sudo sh -c 'apt-get update && apt-get install -y chromium openssl'");
  });

  it('on macOS installs Playwright’s Chromium and names brew for the others', () => {
    const plan = installPlan(['chromium', 'nats-server'], fakeHost({ platform: 'darwin', osIds: [] }));
    expect(plan.commands.map((c) => c.slice(-2))).toEqual([['install', 'chromium']]);
    expect(plan.manual).toBe('npx playwright-core install chromium and brew install nats-server');
  });
});

describe('ensureTestTools', () => {
  const ready = ['/usr/bin/nats-server', '/usr/bin/openssl'];

  it('runs nothing when every tool is there', () => {
    const run = jest.fn(() => 0);
    const check = ensureTestTools({ host: fakeHost({ files: ['/usr/bin/chromium', ...ready] }), run, log: () => undefined });
    expect(check).toEqual({ found: { chromium: '/usr/bin/chromium', 'nats-server': '/usr/bin/nats-server', openssl: '/usr/bin/openssl' } });
    expect(run).not.toHaveBeenCalled();
  });

  it('installs a missing browser and then finds it', () => {
    const host = fakeHost({ isRoot: true, files: ['/usr/bin/apt-get', ...ready] });
    const run = jest.fn((argv: string[]) => {
      if (argv[1] === 'install') host.files.add('/usr/bin/chromium');
      return 0;
    });
    const check = ensureTestTools({ host, run, log: () => undefined });
    expect(run.mock.calls.map(([argv]) => argv.join(' '))).toEqual(['apt-get update -qq', 'apt-get install -y -qq --reinstall chromium']);
    expect(check).toEqual({ found: { chromium: '/usr/bin/chromium', 'nats-server': '/usr/bin/nats-server', openssl: '/usr/bin/openssl' } });
  });

  it('stops with one message naming the command when the install fails', () => {
    const host = fakeHost({ isRoot: true, files: ['/usr/bin/apt-get', ...ready] });
    const run = jest.fn((argv: string[]) => (argv[1] === 'update' ? 100 : 0));
    const check = ensureTestTools({ host, run, log: () => undefined });
    expect(run).toHaveBeenCalledTimes(1);
    expect(check.problem).toBe(
      'The integration tests need programs this machine lacks: no Chromium (tried CHROMIUM_PATH, the usual install paths and Playwright’s browser cache). ' +
        'Run: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH to a Chromium or Chrome), then npm test again.',
    );
  });

  it('reports a wrong CHROMIUM_PATH without installing anything', () => {
    const run = jest.fn(() => 0);
    const check = ensureTestTools({ host: fakeHost({ isRoot: true, env: { CHROMIUM_PATH: '/x/chrome' }, files: ['/usr/bin/apt-get', ...ready] }), run, log: () => undefined });
    expect(check.problem).toMatch(/^CHROMIUM_PATH is \/x\/chrome/);
    expect(run).not.toHaveBeenCalled();
  });
});
