import { randomUUID } from 'node:crypto';
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ErrorCode, httpStatusFor } from './error-code';
import { renderErrorPage } from './error-page';
import { FerryError } from './ferry-error';

interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
  errorId?: string;
}

function codeForHttpStatus(status: number): ErrorCode {
  if (status === 400 || status === 413 || status === 415) return ErrorCode.BadRequest;
  if (status === 401) return ErrorCode.Unauthenticated;
  if (status === 403) return ErrorCode.Forbidden;
  if (status === 404) return ErrorCode.NotFound;
  if (status === 429) return ErrorCode.RateLimited;
  if (status === 503) return ErrorCode.ServiceUnavailable;
  return ErrorCode.InternalError;
}

/**
 * Writes every failure as CONTRACT.md's `{ "error": { code, message, details? } }`, or as a readable
 * HTML page when a browser navigated here (an LTI form post inside the Moodle iframe, an OAuth popup).
 * An unexpected error becomes a 500 with an error id that is also in the log, never a stack trace.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const { status, body, hint } = this.describe(exception, request);

    if (response.headersSent) {
      response.end();
      return;
    }
    if (request.accepts(['json', 'html']) === 'html') {
      response
        .status(status)
        .type('html')
        .send(renderErrorPage({ status, code: body.code, message: body.message, hint, errorId: body.errorId }));
      return;
    }
    response.status(status).json({ error: body });
  }

  private describe(exception: unknown, request: Request): { status: number; body: ErrorBody; hint?: string } {
    if (exception instanceof FerryError) {
      const body: ErrorBody = { code: exception.code, message: exception.message };
      if (exception.details !== undefined) body.details = exception.details;
      return { status: exception.status ?? httpStatusFor(exception.code), body, hint: exception.hint };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status < 500) {
        const code = codeForHttpStatus(status);
        const message = status === 404 ? `No route for ${request.method} ${request.path}.` : exception.message;
        return { status, body: { code, message } };
      }
    }
    const errorId = randomUUID();
    this.logger.error(
      `Unexpected error ${errorId} on ${request.method} ${request.path}`,
      exception instanceof Error ? exception.stack : String(exception),
    );
    return {
      status: 500,
      body: { code: ErrorCode.InternalError, message: 'Something went wrong on Ferry’s side.', errorId },
    };
  }
}
