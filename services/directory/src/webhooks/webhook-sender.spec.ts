import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { messageId, newSigningSecret, RESPONSE_READ_MAX, sendOnce, signedHeaders } from './webhook-sender';

/** A real HTTP server on 127.0.0.1 that answers as each test says and records what it got. */
async function server(handler: (req: { headers: IncomingHttpHeaders; body: string }, res: import('node:http').ServerResponse) => void): Promise<{ url: string; close: () => Promise<void>; got: { headers: IncomingHttpHeaders; body: string }[] }> {
  const got: { headers: IncomingHttpHeaders; body: string }[] = [];
  const s: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      got.push(r);
      handler(r, res);
    });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    got,
    close: () => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r()))),
  };
}

const local = { allowPrivate: true, httpsOnly: false };
const deliveryId = '0f29c52a-8ade-4ed3-b054-ab161fbaee83';
const body = JSON.stringify({ id: 'evt_1', type: 'role-request.decided', version: 1, timestamp: '2026-12-02T05:00:00.000Z', organizationId: null, data: {} });

describe('webhook sender (issue 20)', () => {
  it('signs as Standard Webhooks: any consumer library verifies it, with either secret during a rotation', () => {
    const [current, previous] = [newSigningSecret(), newSigningSecret()];
    expect(current).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = signedHeaders(deliveryId, body, [current, previous]);
    expect(headers['webhook-id']).toBe('msg_0f29c52a8ade4ed3b054ab161fbaee83');
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(current).verify(body.replace('decided', 'submitted'), headers)).toThrow();
  });

  it('posts the body with the headers, and a 2xx is a success', async () => {
    const s = await server((_, res) => res.writeHead(204).end());
    try {
      const headers = signedHeaders(deliveryId, body, [newSigningSecret()]);
      await expect(sendOnce(`${s.url}/hooks`, headers, body, { timeoutMs: 5000, rules: local })).resolves.toEqual({ status: 204, error: null });
      expect(s.got[0]!.body).toBe(body);
      expect(s.got[0]!.headers['webhook-id']).toBe(messageId(deliveryId));
      expect(s.got[0]!.headers['content-type']).toBe('application/json');
    } finally {
      await s.close();
    }
  });

  it('does not follow a redirect: it is a failure naming where it pointed', async () => {
    const target = await server((_, res) => res.writeHead(200).end());
    const s = await server((_, res) => res.writeHead(302, { location: `${target.url}/elsewhere` }).end());
    try {
      const r = await sendOnce(s.url, {}, body, { timeoutMs: 5000, rules: local });
      expect(r.status).toBe(302);
      expect(r.error).toMatch(/redirect, not followed/);
      expect(target.got).toHaveLength(0);
    } finally {
      await Promise.all([s.close(), target.close()]);
    }
  });

  it('gives up on an endpoint that does not answer within the timeout', async () => {
    const s = await server(() => undefined); // never answers
    try {
      await expect(sendOnce(s.url, {}, body, { timeoutMs: 300, rules: local })).resolves.toEqual({ status: null, error: 'No answer within 300 ms' });
    } finally {
      await s.close();
    }
  });

  it('reads at most RESPONSE_READ_MAX of an answer that never ends', async () => {
    const s = await server((_, res) => {
      res.writeHead(500);
      const chunk = Buffer.alloc(1024, 'x');
      const pump = () => {
        while (res.write(chunk)) if (res.destroyed) return;
        res.once('drain', pump);
      };
      pump();
    });
    try {
      const r = await sendOnce(s.url, {}, body, { timeoutMs: 5000, rules: local });
      expect(r).toEqual({ status: 500, error: 'The endpoint answered 500' });
      expect(RESPONSE_READ_MAX).toBe(4096);
    } finally {
      await s.close();
    }
  });

  it('refuses, at connection time, a name that now resolves to a private address (DNS rebinding)', async () => {
    const s = await server((_, res) => res.writeHead(200).end());
    try {
      const port = new URL(s.url).port;
      const rebound = async () => [{ address: '127.0.0.1', family: 4 }];
      const r = await sendOnce(`http://hooks.example.com:${port}/x`, {}, body, { timeoutMs: 5000, rules: { allowPrivate: false, httpsOnly: false }, resolve: rebound });
      expect(r.status).toBeNull();
      expect(r.error).toMatch(/^Refused: hooks.example.com resolves to 127.0.0.1 is a loopback address/);
      expect(s.got).toHaveLength(0);
    } finally {
      await s.close();
    }
  });

  it('refuses an http URL where https is demanded, without connecting', async () => {
    await expect(sendOnce('http://hooks.example.com/x', {}, body, { timeoutMs: 1000, rules: { allowPrivate: false, httpsOnly: true } })).resolves.toEqual({ status: null, error: 'The URL must be an https URL' });
  });

  it('reports an endpoint that refuses connections', async () => {
    const s = await server(() => undefined);
    const url = s.url;
    await s.close();
    const r = await sendOnce(url, {}, body, { timeoutMs: 2000, rules: local });
    expect(r).toEqual({ status: null, error: 'Could not reach the endpoint (ECONNREFUSED)' });
  });
});
