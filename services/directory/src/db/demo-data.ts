import type { OrganizationKind, OrgRole, PlatformRole } from '@am/contracts';

/** The demo of PRODUCT.md section 6, mirroring the guides' screenshots. */
export const DEMO_PASSWORD = 'Demo#2026!access';
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXP';

export interface DemoOrganization {
  key: string;
  kind: OrganizationKind;
  identifier: string;
  name: string;
  address: string;
  sharedSavingsAco?: boolean;
  cmsWebInterface?: boolean;
  cahpsSurvey?: boolean;
}

export const DEMO_ORGANIZATIONS: DemoOrganization[] = [
  { key: 'acme', kind: 'PRACTICE', identifier: '123456789', name: 'Acme Clinic, LLC', address: '5200 Manchester Ln., Greenville, OH 01234', cmsWebInterface: true },
  { key: 'greenville', kind: 'PRACTICE', identifier: '000793654', name: 'Greenville Medical Clinic', address: '100 Main St., Greenville, OH 01234' },
  { key: 'davis', kind: 'PRACTICE', identifier: '000549237', name: 'Davis Inc', address: '4181 Davis Pkwy, Dayton, OH 45402' },
  { key: 'elig', kind: 'PRACTICE', identifier: '000153214', name: 'Elig WI Org 11', address: '11 Lakeshore Dr., Madison, WI 53703' },
  { key: 'rolfson', kind: 'PRACTICE', identifier: '000262241', name: 'Rolfson - Nienow', address: '262 Nienow Ave., Columbus, OH 43004' },
  { key: 'orphan', kind: 'PRACTICE', identifier: '000000042', name: 'Orphan Family Practice', address: '42 Quiet Rd., Springfield, IL 62701' },
  { key: 'vg', kind: 'VIRTUAL_GROUP', identifier: 'VG-000123', name: 'Buckeye Virtual Group', address: '300 Capitol Sq., Columbus, OH 43215' },
  { key: 'registry', kind: 'REGISTRY', identifier: 'QCDR-2026-017', name: 'Heartland Quality Registry', address: '17 Registry Way, Omaha, NE 68102' },
  { key: 'apm', kind: 'APM_ENTITY', identifier: 'A1234', name: 'Riverbend Care Partners', address: '900 River Rd., Cincinnati, OH 45202' },
  { key: 'ssp', kind: 'APM_ENTITY', identifier: 'A9876', name: 'Lakeside Shared Savings ACO', address: '1 Lakeside Plz., Cleveland, OH 44114', sharedSavingsAco: true },
];

export interface DemoUser {
  loginId: string;
  displayName: string;
  platformRole?: PlatformRole;
  holds?: { org: string; role: OrgRole }[];
  pending?: { org: string; role: OrgRole; justification: string }[];
}

export const DEMO_USERS: DemoUser[] = [
  {
    loginId: 'elizabeth.blackwell',
    displayName: 'Elizabeth Blackwell',
    holds: [{ org: 'acme', role: 'SECURITY_OFFICIAL' }],
    pending: [{ org: 'greenville', role: 'SECURITY_OFFICIAL', justification: 'I now manage reporting for Greenville Medical Clinic.' }],
  },
  {
    loginId: 'thomas.miller',
    displayName: 'Thomas Miller, MD',
    pending: [{ org: 'acme', role: 'STAFF_USER', justification: 'I submit quality data for Acme Clinic.' }],
  },
  { loginId: 'kelly.dunn', displayName: 'Kelly Dunn', holds: [{ org: 'greenville', role: 'SECURITY_OFFICIAL' }] },
  { loginId: 'liz.lordis', displayName: 'Liz Lordis', holds: [{ org: 'greenville', role: 'SECURITY_OFFICIAL' }] },
  { loginId: 'laura.fortran', displayName: 'Laura Fortran', holds: [{ org: 'greenville', role: 'STAFF_USER' }] },
  {
    loginId: 'florian.parker',
    displayName: 'Florian Parker',
    holds: [
      { org: 'davis', role: 'SECURITY_OFFICIAL' },
      { org: 'elig', role: 'SECURITY_OFFICIAL' },
      { org: 'rolfson', role: 'SECURITY_OFFICIAL' },
    ],
  },
  {
    loginId: 'marty.swanburger',
    displayName: 'Marty Swanburger',
    pending: [{ org: 'davis', role: 'SECURITY_OFFICIAL', justification: 'Practice manager at Davis Inc.' }],
  },
  { loginId: 'aurelie.farrell', displayName: 'Aurelie Farrell', holds: [{ org: 'davis', role: 'SECURITY_OFFICIAL' }] },
  { loginId: 'qpp.helpdesk', displayName: 'QPP Service Center', platformRole: 'HELP_DESK' },
];

export function demoEmail(loginId: string): string {
  return `${loginId}@example.com`;
}
