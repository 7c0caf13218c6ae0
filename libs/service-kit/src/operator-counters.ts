import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { rpcSentCounts } from './rpc';

/** What GET / on the counters socket answers (JSON). */
export interface OperatorCounters {
  pid: number;
  /** RPCs this process has sent through call(), by pattern, since it started. */
  rpcSent: Record<string, number>;
}

/**
 * When OPERATOR_COUNTERS_DIR is set, serves this process's counters as JSON on the Unix socket
 * `<dir>/<pid>.sock` (`curl --unix-socket <dir>/<pid>.sock http://x/`): the bench reads the RPCs
 * each service sent per request there. Off (nothing listens) when the variable is not set. The
 * socket never keeps the process alive.
 */
export function serveOperatorCounters(dir = process.env.OPERATOR_COUNTERS_DIR): Server | undefined {
  if (!dir) return undefined;
  const path = join(dir, `${process.pid}.sock`);
  rmSync(path, { force: true });
  const server = createServer((_req, res) => {
    const body: OperatorCounters = { pid: process.pid, rpcSent: rpcSentCounts() };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  server.on('error', () => undefined);
  server.listen(path);
  server.unref();
  process.once('exit', () => rmSync(path, { force: true }));
  return server;
}
