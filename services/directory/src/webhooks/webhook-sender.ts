import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { checkedLookup, EndpointRefused, parseEndpointUrl, type EndpointRules } from './endpoint-safety';

/** At most this much of an endpoint's answer is read; the rest is dropped (issue 20: capped bodies). */
export const RESPONSE_READ_MAX = 4 * 1024;
/** A delivery's body is at most this large; an event whose body would be larger is not sent. */
export const REQUEST_BODY_MAX = 64 * 1024;

/** A new signing secret: `whsec_` and 32 random bytes in base64, as the Standard Webhooks libraries take it. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** What a subscription's secret is bound to when sealed: its id, so a sealed secret copied to another row does not open. */
export const webhookSecretContext = (id: string) => `webhook_subscriptions.secret:${id}`;

/** The webhook-id header of a delivery: `msg_` and its UUID's hex. */
export const messageId = (deliveryId: string) => `msg_${deliveryId.replace(/-/g, '')}`;

/**
 * The three Standard Webhooks headers, signed with every secret given (the current one, and the
 * previous one while a rotation's overlap lasts): webhook-signature lists one `v1,…` per secret.
 */
export function signedHeaders(deliveryId: string, body: string, secrets: string[], at = new Date()): Record<string, string> {
  const id = messageId(deliveryId);
  const timestamp = new Date(Math.floor(at.getTime() / 1000) * 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp.getTime() / 1000),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(id, timestamp, body)).join(' '),
  };
}

export interface AttemptResult {
  /** The endpoint's status, or null when none came (refused, unreachable, timed out). */
  status: number | null;
  /** Why it is not a success, in words; null for a 2xx. */
  error: string | null;
}

export interface SendOptions {
  timeoutMs: number;
  rules: EndpointRules;
  /** Resolves a name (tests inject one to stand for DNS). */
  resolve?: Parameters<typeof checkedLookup>[1];
  userAgent?: string;
}

/**
 * One attempt: a POST of the body with its headers. The connection goes only to an address that
 * passed the endpoint rules when it was resolved for this attempt; redirects are answers (not
 * followed); the whole attempt is bounded by timeoutMs; at most RESPONSE_READ_MAX of the answer is read.
 */
export function sendOnce(rawUrl: string, headers: Record<string, string>, body: string, opts: SendOptions): Promise<AttemptResult> {
  let url: URL;
  try {
    url = parseEndpointUrl(rawUrl, opts.rules);
  } catch (err) {
    return Promise.resolve({ status: null, error: `The URL ${(err as Error).message}` });
  }
  const payload = Buffer.from(body, 'utf8');
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const done = (r: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const req = request(
      url,
      {
        method: 'POST',
        lookup: checkedLookup(opts.rules, opts.resolve) as never,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': payload.length,
          'user-agent': opts.userAgent ?? 'AccessManager-Webhooks/1',
        },
        agent: false,
      },
      (res: IncomingMessage) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read >= RESPONSE_READ_MAX) finish();
        });
        res.on('end', finish);
        res.on('error', finish);
        function finish() {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) done({ status, error: null });
          else if (status >= 300 && status < 400) done({ status, error: `The endpoint answered ${status} (a redirect, not followed)${res.headers.location ? ` to ${String(res.headers.location).slice(0, 200)}` : ''}` });
          else done({ status, error: `The endpoint answered ${status}` });
        }
      },
    );
    const timer = setTimeout(() => done({ status: null, error: `No answer within ${opts.timeoutMs} ms` }), opts.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof EndpointRefused || err.name === 'EndpointRefused') done({ status: null, error: `Refused: ${err.message}` });
      else done({ status: null, error: `Could not reach the endpoint (${err.code ?? err.message})` });
    });
    req.end(payload);
  });
}
