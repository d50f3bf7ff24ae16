export { ErrorCode, httpStatusFor } from './error-code';
export { renderErrorPage } from './error-page';
export type { ErrorPageContent } from './error-page';
export { AuthError, FerryError, NotFoundError, ValidationFailedError } from './ferry-error';
export { HttpErrorFilter } from './http-error.filter';
export { createValidationPipe } from './validation';
