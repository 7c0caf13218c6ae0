import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientProxy } from '@nestjs/microservices';
import { of } from 'rxjs';
import { serveOperatorCounters } from './operator-counters';
import { call, rpcSentCounts } from './rpc';

const fakeClient = { send: () => of('ok') } as unknown as ClientProxy;

function get(socketPath: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    request({ socketPath, path: '/' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve(JSON.parse(body)));
    })
      .on('error', reject)
      .end();
  });
}

describe('operator counters', () => {
  it('counts every RPC sent through call(), by pattern', async () => {
    const before = rpcSentCounts()['test.ping'] ?? 0;
    await call(fakeClient, 'test.ping', {});
    await call(fakeClient, 'test.ping', {});
    expect(rpcSentCounts()['test.ping']).toBe(before + 2);
  });

  it('serves the counts on <dir>/<pid>.sock when a folder is given, and nothing otherwise', async () => {
    expect(serveOperatorCounters(undefined)).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'counters-'));
    const server = serveOperatorCounters(dir);
    try {
      if (!server) throw new Error('no server');
      if (!server.listening) await once(server, 'listening');
      await call(fakeClient, 'test.served', {});
      expect(await get(join(dir, `${process.pid}.sock`))).toEqual({ pid: process.pid, rpcSent: expect.objectContaining({ 'test.served': 1 }) as unknown });
    } finally {
      server?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
