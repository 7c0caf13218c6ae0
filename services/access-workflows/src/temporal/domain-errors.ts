import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DomainError, ERROR_CODES, type ErrorCode } from '@am/contracts';

/** An Update refused by the workflow's validator or failed by the directory carries a domain code. */
export function toDomainError(err: unknown): unknown {
  if (!(err instanceof WorkflowUpdateFailedError)) return err;
  let cause: unknown = err.cause;
  while (cause && !(cause instanceof ApplicationFailure && cause.type && cause.type in ERROR_CODES)) {
    cause = (cause as { cause?: unknown }).cause;
  }
  if (!(cause instanceof ApplicationFailure)) return err;
  const details = (cause.details?.[0] ?? undefined) as { field?: string; details?: Record<string, unknown> } | Record<string, unknown> | undefined;
  const nested = details && 'details' in details ? (details.details as Record<string, unknown>) : (details as Record<string, unknown> | undefined);
  return new DomainError(cause.type as ErrorCode, cause.message, (details as { field?: string } | undefined)?.field, nested);
}
