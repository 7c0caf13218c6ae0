import { request } from 'node:http';
import { testStack } from '../setup/stack';
import { checkGatewayAnswer } from './openapi-contract-hook';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

export interface RawRequest {
  method: string;
  path: string;
  /** Exactly the headers sent (fetch would add a content type of its own, and never sends a GET body). */
  headers?: Record<string, string>;
  /** One body, sent with Content-Length; or chunks, sent with Transfer-Encoding: chunked (no declared length). */
  body?: string | Buffer;
  chunks?: (string | Buffer)[];
  baseUrl?: string;
}

/** One HTTP/1.1 request with full control of headers and body, over node:http; a gateway's answer is checked against the OpenAPI document. */
export async function rawRequest(r: RawRequest): Promise<RawAnswer> {
  const answer = await rawRequestUnchecked(r);
  const url = new URL(r.path, r.baseUrl ?? testStack().gatewayUrl);
  const contentType = answer.headers['content-type'];
  const streamed = String(contentType).startsWith('text/event-stream');
  await checkGatewayAnswer({ method: r.method, url: url.href, status: answer.status, contentType: typeof contentType === 'string' ? contentType : null, body: streamed ? undefined : answer.text });
  return answer;
}

function rawRequestUnchecked(r: RawRequest): Promise<RawAnswer> {
  const url = new URL(r.path, r.baseUrl ?? testStack().gatewayUrl);
  const body = r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8');
  const headers: Record<string, string | number> = { ...r.headers };
  if (body) headers['content-length'] = body.length;
  if (r.chunks) headers['transfer-encoding'] = 'chunked';
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: r.method, headers, agent: false }, (res) => {
      // A Server-Sent Events stream never ends by design: its status and headers are the answer.
      if (String(res.headers['content-type']).startsWith('text/event-stream')) {
        res.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: '', json: undefined });
        return;
      }
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (r.chunks) for (const c of r.chunks) req.write(c);
    req.end(body);
  });
}
