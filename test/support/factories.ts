import { randomBytes, randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { query } from '@am/devstack';
import { sealTotpSecret } from '@am/service-kit';
import type { OrganizationKind, OrgRole } from '@am/contracts';
import { testStack } from '../setup/stack';

// Every test makes its own organizations and people, so no test depends on another's data.
export const TEST_PASSWORD = 'Test#2026!correct-horse';
export const TEST_TOTP_SECRET = 'KRSXG5CTMVRXEZLUKN2XAZLSNF2GK4TF';
let passwordHash: Promise<string> | undefined;

const unique = () => randomBytes(4).toString('hex');

export interface TestUser {
  id: string;
  loginId: string;
  displayName: string;
  email: string;
}
export interface TestOrganization {
  id: string;
  name: string;
  identifier: string;
}

/** `databaseUrl`: another database than the run's (a stack of a test's own). */
export async function createUser(o: { displayName?: string; platformRole?: 'HELP_DESK'; databaseUrl?: string } = {}): Promise<TestUser> {
  passwordHash ??= hash(TEST_PASSWORD, { algorithm: 2 });
  const suffix = unique();
  const user = {
    id: randomUUID(),
    loginId: `user.${suffix}`,
    displayName: o.displayName ?? `Test User ${suffix}`,
    email: `user.${suffix}@example.com`,
  };
  await query(
    o.databaseUrl ?? testStack().databaseUrl,
    `INSERT INTO users (id, login_id, display_name, email, password_hash, totp_secret, platform_role)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    // Stored as the directory stores it: encrypted under this run's key, bound to the user (issue 14).
    [user.id, user.loginId, user.displayName, user.email, await passwordHash, sealTotpSecret(testStack().serviceEnv.SECRETS_ENCRYPTION_KEYS!.split(','), user.id, TEST_TOTP_SECRET), o.platformRole ?? null],
  );
  return user;
}

export async function createOrganization(o: { kind?: OrganizationKind; name?: string; sharedSavingsAco?: boolean; databaseUrl?: string } = {}): Promise<TestOrganization> {
  const org = {
    id: randomUUID(),
    name: o.name ?? `Test Practice ${unique()}`,
    identifier: String(Math.floor(Math.random() * 1e9)).padStart(9, '0'),
  };
  await query(
    o.databaseUrl ?? testStack().databaseUrl,
    `INSERT INTO organizations (id, kind, identifier, name, address, shared_savings_aco)
     VALUES ($1, $2::"OrganizationKind", $3, $4, '1 Test St., Testville, OH 01234', $5)`,
    [org.id, o.kind ?? 'PRACTICE', org.identifier, org.name, o.sharedSavingsAco ?? false],
  );
  return org;
}

export async function grantRole(user: TestUser, org: TestOrganization, role: OrgRole, databaseUrl = testStack().databaseUrl): Promise<void> {
  await query(
    databaseUrl,
    `INSERT INTO role_assignments (id, user_id, organization_id, role) VALUES ($1, $2, $3, $4::"OrgRole")`,
    [randomUUID(), user.id, org.id, role],
  );
}
