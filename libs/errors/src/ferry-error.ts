import { ErrorCode } from './error-code';

/**
 * The one error type domain code throws. `message` is for a person; `details` (optional) is
 * machine-readable context such as per-field validation messages; `hint` tells a Moodle admin what
 * to check and is shown on the HTML error page.
 */
export class FerryError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly hint?: string,
    /** Overrides the code's usual status, e.g. a setup check answers 422 `moodle_unreachable` (normally 502). */
    readonly status?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailedError extends FerryError {
  constructor(readonly fields: Record<string, string[]>) {
    super(ErrorCode.ValidationFailed, 'Some fields are missing or invalid.', { fields });
  }
}

export class NotFoundError extends FerryError {
  constructor(what: string) {
    super(ErrorCode.NotFound, `${what} was not found.`);
  }
}

export class AuthError extends FerryError {}
