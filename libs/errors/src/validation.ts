import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidationFailedError } from './ferry-error';

function collectFieldMessages(errors: ValidationError[], prefix = '', into: Record<string, string[]> = {}) {
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) into[path] = Object.values(error.constraints);
    if (error.children?.length) collectFieldMessages(error.children, path, into);
  }
  return into;
}

/** DTO validation that answers 400 `validation_failed` with `details.fields: { field: [messages] }`. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailedError(collectFieldMessages(errors)),
  });
}
