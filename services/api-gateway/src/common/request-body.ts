import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { DomainError, ERROR_CODES } from '@am/contracts';
import { toErrorResponse } from './http-error.filter';

/** A JSON body by its Content-Type: application/json, with any (or no) parameters. */
export function isJsonBody(req: Pick<Request, 'headers'>): boolean {
  const type = req.headers['content-type'];
  return typeof type === 'string' && type.split(';')[0].trim().toLowerCase() === 'application/json';
}

/**
 * How the gateway reads request bodies (issue 14), on every route and before any of them runs:
 * - a JSON body (Content-Type application/json, UTF-8) of at most `limitBytes`, after inflating
 *   (gzip, deflate, br): as the routes read it; malformed, it is answered 400 MALFORMED_JSON;
 * - any other body is read up to the same limit, then refused with 415 UNSUPPORTED_MEDIA_TYPE.
 *   The API takes JSON only, and form and text/plain bodies are what a page on another site can
 *   send without CORS asking first, so nothing else is ever parsed (no urlencoded parser);
 * - a body over the limit, JSON or not, is answered 413 PAYLOAD_TOO_LARGE (it is read off, not
 *   kept, so the connection stays usable); an empty body of any type is no body.
 * Each answer has the public error shape. They are written here, not passed on: errors that pass
 * Express's error chain reach the static web UI's handler first, which answered 404 for /api paths.
 * Call in place of app.useBodyParser, with the application created with `bodyParser: false`.
 */
export function useJsonBodies(app: NestExpressApplication, limitBytes: number): void {
  app.useBodyParser('json', { limit: limitBytes, type: isJsonBody });
  app.useBodyParser('raw', { limit: limitBytes, type: (req: Request) => !isJsonBody(req) });
  app.use(refuseOtherBodies);
  app.use(answerBodyErrors);
}

function refuseOtherBodies(req: Request, res: Response, next: NextFunction): void {
  if (!Buffer.isBuffer(req.body)) return next();
  if (req.body.length === 0) {
    req.body = undefined;
    return next();
  }
  req.body = undefined;
  const refusal = new DomainError(ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, 'The API reads JSON bodies only: send Content-Type: application/json', 'content-type');
  const { status, body } = toErrorResponse(refusal);
  res.status(status).json({ error: body });
}

function answerBodyErrors(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(err);
  const { status, body } = toErrorResponse(err);
  res.status(status).json({ error: body });
}
