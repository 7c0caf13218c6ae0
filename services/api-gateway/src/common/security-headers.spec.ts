import type { Request, Response } from 'express';
import { securityHeaders } from './security-headers';

function headersOf(cookieSecure: boolean): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  } as unknown as Response;
  securityHeaders({ COOKIE_SECURE: cookieSecure })({ headers: {} } as Request, res, () => undefined);
  return headers;
}

function directives(header: string): Map<string, string> {
  return new Map(header.split(';').map((d) => [d.trim().split(/\s+/)[0], d.trim().split(/\s+/).slice(1).join(' ')]));
}

describe('securityHeaders', () => {
  it('sends a Content-Security-Policy that runs no inline script, and helmet’s other headers', () => {
    const h = headersOf(true);
    const csp = directives(h['content-security-policy']);
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('script-src-attr')).toBe("'none'");
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('frame-ancestors')).toBe("'self'");
    expect(csp.has('upgrade-insecure-requests')).toBe(true);
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it('leaves upgrade-insecure-requests out when the UI is served over plain HTTP', () => {
    const csp = directives(headersOf(false)['content-security-policy']);
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
    expect(csp.get('script-src')).toBe("'self'");
  });
});
