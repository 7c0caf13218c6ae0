// Issue 14: the web UI and the OpenAPI UI are served with a Content-Security-Policy that runs no
// inline script, and both still work under it in a real browser (Chromium) with no violation.
import type { Page } from 'playwright-core';
import { chromiumForFile, signInThroughUi } from '../ui/browser';
import { createUser } from '../support/factories';
import { rawRequest } from '../support/http';

/** The directives of a Content-Security-Policy header, by name. */
function directives(header: string | string[] | undefined): Map<string, string[]> {
  expect(typeof header).toBe('string');
  return new Map(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name.toLowerCase(), values]),
  );
}

function expectNoInlineScript(policy: Map<string, string[]>): void {
  const script = policy.get('script-src') ?? policy.get('default-src');
  expect(script).toEqual(["'self'"]);
  expect(policy.get('script-src-attr')).toEqual(["'none'"]);
  expect(policy.get('object-src')).toEqual(["'none'"]);
  expect(policy.get('default-src')).toEqual(["'self'"]);
  expect(policy.get('base-uri')).toEqual(["'self'"]);
  expect(policy.get('frame-ancestors')).toEqual(["'self'"]);
}

interface Violation {
  directive: string;
  blocked: string;
}

/** Collects the page's CSP violations, as the page's own listener and Chromium's console report them. */
async function watchViolations(page: Page): Promise<{ reported: () => Promise<Violation[]>; console: string[] }> {
  const console: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) console.push(m.text());
  });
  // Injected by the browser (not an inline script of the page), before any script of the page runs.
  // (Browser code as text: the tests compile without the DOM's types.)
  await page.addInitScript({
    content: `window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));`,
  });
  return { reported: () => page.evaluate<Violation[]>('window.__cspViolations'), console };
}

describe('Content-Security-Policy', () => {
  const browser = chromiumForFile();

  it('is sent with the web UI, its client-side routes and the API, and allows no inline script', async () => {
    for (const path of ['/', '/sign-in', '/manage-access', '/api/v1/me', '/health']) {
      const res = await rawRequest({ method: 'GET', path });
      expectNoInlineScript(directives(res.headers['content-security-policy']));
      // helmet's other defaults stay on.
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
    const index = await rawRequest({ method: 'GET', path: '/' });
    // The build has no inline script to allow: each <script> loads a file.
    const scripts = [...index.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, content] of scripts) {
      expect(attributes).toMatch(/\bsrc=/);
      expect(content.trim()).toBe('');
    }
  });

  it('lets the web UI run, sign in and show Manage Access with no violation', async () => {
    const page = await browser.open();
    const watch = await watchViolations(page);
    await signInThroughUi(page, await createUser());
    // The live notice stream opens too (fetch to the same origin).
    await page.locator('.notifications[data-stream="open"]').waitFor();
    expect(await watch.reported()).toEqual([]);
    expect(watch.console).toEqual([]);

    // The policy is in force: an inline script added to the page does not run, and is reported.
    const ran = await page.evaluate<boolean>(`(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.appendChild(s);
      return window.__inlineRan === true;
    })()`);
    expect(ran).toBe(false);
    await page.waitForFunction('window.__cspViolations.length > 0');
    expect((await watch.reported()).map((v) => v.directive)).toEqual(['script-src-elem']);
  });

  it('lets the OpenAPI UI at /api/docs render the operations with no violation', async () => {
    const docs = await rawRequest({ method: 'GET', path: '/api/docs' });
    expect(docs.status).toBe(200);
    expectNoInlineScript(directives(docs.headers['content-security-policy']));
    const page = await browser.open();
    const watch = await watchViolations(page);
    await page.goto('/api/docs');
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(20);
    // Expand one operation, as a reader does.
    await page.locator('.opblock-summary').first().click();
    await page.locator('.opblock-body').first().waitFor();
    expect(await watch.reported()).toEqual([]);
    expect(watch.console).toEqual([]);
  });
});
