// Documentation only: the OpenAPI shapes of the small parts that several answers share. Each
// class implements its @am/contracts interface so that the compiler keeps them in step; the
// examples are the demo data of PRODUCT.md section 6.
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ORG_ROLES, ORGANIZATION_KINDS, type OrganizationKind, type OrganizationSummary, type OrgRole, type PendingDecisionView } from '@am/contracts';

/** Ids the examples use, so that one example's references match another's. */
export const EXAMPLE_IDS = {
  acme: '0b7a4f3e-5c1d-4e8a-9f2b-6d3c1a2e4b50',
  greenville: '1c8b5a4f-6d2e-4f9b-8a3c-7e4d2b3f5c61',
  elizabeth: '2d9c6b5a-7e3f-4a0c-9b4d-8f5e3c4a6d72',
  thomas: '3e0d7c6b-8f4a-4b1d-8c5e-9a6f4d5b7e83',
  helpDesk: '4f1e8d7c-9a5b-4c2e-9d6f-0b7a5e6c8f94',
  kelly: '9e6d3c2b-4f0a-4b7d-8c1e-5a2f0d1b3e49',
  laura: 'a07e4d3c-5a1b-4c8e-9d2f-6b3a1e2c4f5a',
  request: '5a2f9e8d-0b6c-4d3f-8e7a-1c8b6f7d9a05',
  apiKey: '6b3a0f9e-1c7d-4e4a-9f8b-2d9c7a8e0b16',
  auditEvent: '7c4b1a0f-2d8e-4f5b-8a9c-3e0d8b9f1c27',
} as const;

export const EXAMPLE_TIME = '2026-03-02T14:05:09.123Z';

@ApiSchema({ name: 'OrganizationSummary' })
export class OrganizationSummaryResponse implements OrganizationSummary {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_IDS.acme }) id!: string;
  @ApiProperty({ enum: ORGANIZATION_KINDS, enumName: 'OrganizationKind', example: 'PRACTICE' }) kind!: OrganizationKind;
  @ApiProperty({ description: 'TIN for practices; the program’s identifier for other kinds', example: '123456789' }) identifier!: string;
  @ApiProperty({ example: 'Acme Clinic, LLC' }) name!: string;
}

/** A person named in an answer: who requested, decided, removed, created. */
@ApiSchema({ name: 'PersonRef' })
export class PersonRefResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_IDS.elizabeth }) id!: string;
  @ApiProperty({ example: 'Elizabeth Blackwell' }) displayName!: string;
}

@ApiSchema({ name: 'PersonWithEmail' })
export class PersonWithEmailResponse extends PersonRefResponse {
  @ApiProperty({ format: 'email', example: 'elizabeth.blackwell@example.com' }) email!: string;
}

/** A request waiting for the caller's decision (the guide's "Pending requests" table). */
@ApiSchema({ name: 'PendingDecisionView' })
export class PendingDecisionResponse implements PendingDecisionView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_IDS.request }) requestId!: string;
  @ApiProperty({ enum: ORG_ROLES, enumName: 'OrgRole', example: 'STAFF_USER' }) role!: OrgRole;
  @ApiProperty({ type: String, nullable: true, example: 'I submit quality data for Acme Clinic.' }) justification!: string | null;
  @ApiProperty({ format: 'date-time', example: EXAMPLE_TIME }) createdAt!: string;
  @ApiProperty({ type: () => PersonWithEmailResponse, example: { id: EXAMPLE_IDS.thomas, displayName: 'Thomas Miller, MD', email: 'thomas.miller@example.com' } })
  requester!: PersonWithEmailResponse;
  @ApiProperty({ type: () => OrganizationSummaryResponse }) organization!: OrganizationSummaryResponse;
}

/** The page fields every paginated list shares (its items are declared by each page class). */
export abstract class PageFieldsResponse {
  @ApiProperty({ minimum: 1, description: '1-based', example: 1 }) page!: number;
  @ApiProperty({ minimum: 1, example: 50 }) pageSize!: number;
  @ApiProperty({ minimum: 0, description: 'Matching rows in all pages', example: 1 }) total!: number;
}
