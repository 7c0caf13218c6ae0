import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, ERROR_CODES } from '@am/contracts';

/** The first broken rule, named by its field path ("role", "address.city"). */
function firstViolation(errors: ValidationError[], prefix = ''): { field: string; message: string } | undefined {
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const message = e.constraints ? Object.values(e.constraints)[0] : undefined;
    if (message) return { field, message };
    const nested = firstViolation(e.children ?? [], field);
    if (nested) return nested;
  }
  return undefined;
}

/** Whitelisting validation: unknown fields are refused, and the 400 names the field and the rule. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const v = firstViolation(errors) ?? { field: 'body', message: 'body is invalid' };
      return new DomainError(ERROR_CODES.VALIDATION_FAILED, v.message, v.field);
    },
  });
}
