// Documentation only: the answer of GET /health (health.controller.ts), 200 and 503 alike.
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { HealthReport } from '@am/contracts';

@ApiSchema({ name: 'ServiceHealth' })
export class ServiceHealthResponse implements HealthReport {
  @ApiProperty({ example: 'directory' }) service!: string;
  @ApiProperty({ enum: ['ok', 'error'], example: 'ok' }) status!: 'ok' | 'error';
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Each check: "ok", or what is wrong', example: { database: 'ok', worker: 'ok' } })
  checks!: Record<string, string>;
}

@ApiSchema({ name: 'HealthResponse' })
export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'], description: 'ok only when every service is ok', example: 'ok' }) status!: 'ok' | 'error';
  @ApiProperty({ type: () => [ServiceHealthResponse], description: 'directory, access-workflows and notifications' }) services!: ServiceHealthResponse[];
}
