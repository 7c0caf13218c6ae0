// Documentation only: the OpenAPI shape of NominationView (@am/contracts), with the demo's examples.
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { NOMINATION_STATUSES, type NominationStatus, type NominationView } from '@am/contracts';
import { EXAMPLE_IDS, EXAMPLE_TIME, OrganizationSummaryResponse, PersonRefResponse } from '../common/shared.responses';

@ApiSchema({ name: 'NominationView' })
export class NominationResponse implements NominationView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_IDS.request }) id!: string;
  @ApiProperty({ description: 'The Temporal workflow that carries the nomination to its answer', example: `nomination-${EXAMPLE_IDS.request}` }) workflowId!: string;
  @ApiProperty({ enum: NOMINATION_STATUSES, enumName: 'NominationStatus', example: 'PENDING' }) status!: NominationStatus;
  @ApiProperty({ type: () => OrganizationSummaryResponse }) organization!: OrganizationSummaryResponse;
  @ApiProperty({ type: () => PersonRefResponse, example: { id: EXAMPLE_IDS.laura, displayName: 'Laura Fortran' } }) nominee!: PersonRefResponse;
  @ApiProperty({ type: () => PersonRefResponse, example: { id: EXAMPLE_IDS.kelly, displayName: 'Kelly Dunn' } }) nominatedBy!: PersonRefResponse;
  @ApiProperty({ type: String, nullable: true, description: 'The nominator’s message to the nominee', example: 'Please be our backup Security Official.' }) message!: string | null;
  @ApiProperty({ format: 'date-time', example: EXAMPLE_TIME }) createdAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When it expires unanswered (NOMINATION_EXPIRES_AFTER after createdAt)', example: '2026-03-16T14:05:09.123Z' }) expiresAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was accepted, declined or expired; null while pending', example: null }) respondedAt!: string | null;
}

@ApiSchema({ name: 'NominationList' })
export class NominationListResponse {
  @ApiProperty({ type: () => [NominationResponse], description: 'Oldest first' }) items!: NominationResponse[];
}
