import type { NextFunction, Request, Response } from 'express';
import { requestContext, requestIdFrom, type JsonLogger } from '@am/service-kit';

/**
 * Gives every HTTP request its id (the caller's X-Request-Id when sane, else a new one), answers it
 * in X-Request-Id, runs the request inside that context (so the services and workflows it reaches
 * log and remember the same id), and writes one JSON access-log line when the response is sent.
 */
export function requestLog(logger: JsonLogger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdFrom(req.header('x-request-id'));
    const started = process.hrtime.bigint();
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.pino.info({ requestId, method: req.method, path: loggablePath(req.originalUrl), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    requestContext.run({ requestId }, next);
  };
}

/**
 * The path as logged: without its query, and without a personal calendar feed's token (issue 19),
 * which is the credential its URL carries: secrets are never logged.
 */
export function loggablePath(url: string): string {
  return url.split('?')[0].replace(/(\/program-calendar\/feeds\/)[^/]*$/, '$1[token]');
}
