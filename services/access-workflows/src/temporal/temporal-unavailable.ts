import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import { DomainError, ERROR_CODES } from '@am/contracts';

const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;

/** Temporal could not be reached (gRPC UNAVAILABLE or deadline exceeded): the caller gets 503 and may retry. */
export function temporalUnavailable(err: unknown): DomainError | undefined {
  const grpc = err instanceof ServiceError ? err.cause : err;
  if (!isGrpcServiceError(grpc) || (grpc.code !== UNAVAILABLE && grpc.code !== DEADLINE_EXCEEDED)) return undefined;
  return new DomainError(ERROR_CODES.SERVICE_UNAVAILABLE, 'The workflow engine cannot be reached: nothing was recorded; try again shortly');
}
