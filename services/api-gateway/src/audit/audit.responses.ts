// Documentation only: the OpenAPI shape of Page<AuditEventView> (@am/contracts), with the demo's examples.
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { AuditEventView, Page } from '@am/contracts';
import { EXAMPLE_IDS, EXAMPLE_TIME, PageFieldsResponse } from '../common/shared.responses';

@ApiSchema({ name: 'AuditEventView' })
export class AuditEventResponse implements AuditEventView {
  @ApiProperty({ example: EXAMPLE_IDS.auditEvent }) id!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE_TIME }) occurredAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Who acted; null for the system', example: EXAMPLE_IDS.elizabeth }) actorId!: string | null;
  @ApiProperty({ description: 'What happened, e.g. role-request.submitted, role-request.approved, access.removed, auth.sign-in', example: 'role-request.approved' })
  action!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: EXAMPLE_IDS.acme }) organizationId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'What it happened to: a request, a user, a login id', example: EXAMPLE_IDS.request }) subjectId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { role: 'STAFF_USER' } }) details!: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true, description: 'The previous event’s hash (sha256, hex): the events form a tamper-evident chain', example: 'a3f1c2d4e5b6a7980f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778' })
  prevHash!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'sha256 (hex) of this event and prevHash; null for events older than the chain', example: '5b6a7980f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778a3f1c2d4e' })
  hash!: string | null;
}

@ApiSchema({ name: 'AuditEventPage' })
export class AuditEventPageResponse extends PageFieldsResponse implements Page<AuditEventView> {
  @ApiProperty({ type: () => [AuditEventResponse] }) items!: AuditEventResponse[];
}
