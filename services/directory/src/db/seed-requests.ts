// Submits the demo's pending requests (PRODUCT.md section 6) the way their requesters would: each
// signs in through the gateway (password and a TOTP code) and POSTs /api/v1/role-requests, whose
// workflow records the request. `npm start` runs this once the services are up. Idempotent: a demo
// user who has (or had) any request at that organization is left alone, so a request decided in
// the demo is not submitted again on the next start. Never runs in production mode.
import { PrismaPg } from '@prisma/adapter-pg';
import { authenticator } from 'otplib';
import { PrismaClient } from '../generated/prisma/client';
import { DEMO_ORGANIZATIONS, DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS } from './demo-data';

export async function submitDemoRequests(databaseUrl: string, gatewayUrl: string): Promise<number> {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  let submitted = 0;
  try {
    for (const u of DEMO_USERS) {
      for (const p of u.pending ?? []) {
        const o = DEMO_ORGANIZATIONS.find((d) => d.key === p.org)!;
        const org = await prisma.organization.findUniqueOrThrow({ where: { kind_identifier: { kind: o.kind, identifier: o.identifier } } });
        const any = await prisma.roleRequest.findFirst({ where: { requester: { loginId: u.loginId }, organizationId: org.id }, select: { id: true } });
        if (any) continue;
        const token = await signIn(gatewayUrl, u.loginId);
        await post(gatewayUrl, '/api/v1/role-requests', { organizationId: org.id, role: p.role, justification: p.justification }, token);
        submitted++;
      }
    }
    return submitted;
  } finally {
    await prisma.$disconnect();
  }
}

async function signIn(gatewayUrl: string, loginId: string): Promise<string> {
  const first = await post(gatewayUrl, '/api/v1/auth/sign-in', { userId: loginId, password: DEMO_PASSWORD, acceptStatementOfTruth: true });
  const second = await post(gatewayUrl, '/api/v1/auth/mfa', { mfaToken: first.mfaToken, code: authenticator.generate(DEMO_TOTP_SECRET) });
  return String(second.accessToken);
}

async function post(gatewayUrl: string, path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(new URL(path, gatewayUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  const gateway = process.env.GATEWAY_URL;
  if (process.env.NODE_ENV === 'production') {
    console.error('Refusing to submit demo requests in production mode (NODE_ENV=production).');
    process.exit(2);
  }
  if (!url || !gateway) {
    console.error('DATABASE_URL and GATEWAY_URL are required');
    process.exit(2);
  }
  submitDemoRequests(url, gateway)
    .then((n) => console.log(`Demo requests: ${n} submitted through the API.`))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
