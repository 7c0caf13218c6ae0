import { ApplicationFailure } from '@temporalio/workflow';
import { DomainError } from '@am/contracts';

/**
 * The one shape of a refusal inside Temporal: a non-retryable ApplicationFailure whose type is the
 * domain error code and whose only detail is the error's public body (code, message, field,
 * details), the same body HTTP and RPC carry. Activities, workflow validators and Update handlers
 * all throw this, so whoever catches it reads the body back and never guesses.
 */
export function domainFailure(error: DomainError): ApplicationFailure {
  return ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true, details: [error.toBody()] });
}

/** The domain error carried by a failure (or anywhere in its cause chain: Update, activity, child); undefined when none does. */
export function domainErrorIn(err: unknown): DomainError | undefined {
  for (let e: unknown = err; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if (e instanceof ApplicationFailure && DomainError.isErrorBody(e.details?.[0])) return DomainError.fromBody(e.details[0]);
  }
  return undefined;
}
