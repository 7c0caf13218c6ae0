import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { GatewayConfig } from '../config/gateway.config';

/**
 * helmet's headers on every answer (issue 14), with its default Content-Security-Policy:
 * `script-src 'self'` and `script-src-attr 'none'` run no inline script or inline event handler,
 * so text that reached a page cannot run there; `object-src 'none'`, `base-uri 'self'`,
 * `form-action 'self'` and `frame-ancestors 'self'` keep plugins, a foreign <base>, forms posting
 * elsewhere and framing by other sites out. The web UI's build (services/web) loads every script
 * from a file, and so does the OpenAPI UI at /api/docs (swagger-ui's initializer is a file there
 * too; its inline <style> is allowed by style-src, as the web UI's style attributes are).
 */
export function securityHeaders(config: Pick<GatewayConfig, 'COOKIE_SECURE'>): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        // helmet's defaults, named here so that they stay so.
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        objectSrc: ["'none'"],
        // Served over HTTPS (Secure cookies, production's default): the browser asks for https://
        // only. Over plain HTTP (development) the directive would send the UI's own requests to
        // an https:// that is not there, from any address but loopback, so it is left out.
        upgradeInsecureRequests: config.COOKIE_SECURE ? [] : null,
      },
    },
  });
}
