import { describe, expect, it } from 'vitest';
import { ErrorCode, FerryError } from '@ferry/errors';
import { describeTransferError, isRetryableTransferError, SOURCE_CHANGED } from './transfer-errors';

const restError = (statusCode: number, code?: string) => Object.assign(new Error(`HTTP ${statusCode}`), { name: 'RestError', statusCode, code });

describe(isRetryableTransferError.name, () => {
  it.each([
    [new FerryError(ErrorCode.MoodleUnreachable, 'down'), true],
    [new FerryError(ErrorCode.MoodleMaintenance, 'maintenance'), true],
    [new FerryError(ErrorCode.MoodleError, '503', { httpStatus: 503 }), true],
    [new FerryError(ErrorCode.MoodleError, '429', { httpStatus: 429 }), true],
    [new FerryError(ErrorCode.MoodleError, 'changed', { reason: SOURCE_CHANGED }), true],
    [new FerryError(ErrorCode.MoodleError, '404', { httpStatus: 404 }), false],
    [new FerryError(ErrorCode.MoodleTokenInvalid, 'token'), false],
    [new FerryError(ErrorCode.MoodleAccessDenied, 'denied'), false],
    [new FerryError(ErrorCode.ForeignFileUrl, 'foreign'), false],
    [new FerryError(ErrorCode.SizeMismatch, 'size'), false],
    [new FerryError(ErrorCode.BlobExists, 'exists'), false],
    [restError(500), true],
    [restError(503, 'ServerBusy'), true],
    [restError(429), true],
    [restError(403, 'AuthorizationFailure'), false],
    [Object.assign(new TypeError('terminated'), { cause: { code: 'UND_ERR_SOCKET' } }), true],
    [Object.assign(new Error('reset'), { code: 'ECONNRESET' }), true],
  ])('%s → %s', (error, retryable) => {
    expect(isRetryableTransferError(error)).toBe(retryable);
  });
});

describe(describeTransferError.name, () => {
  it('keeps Ferry codes and names library errors by kind', () => {
    expect(describeTransferError(new FerryError(ErrorCode.SizeMismatch, 'short'))).toEqual({ code: 'size_mismatch', message: 'short' });
    expect(describeTransferError(restError(503)).code).toBe('storage_unavailable');
    expect(describeTransferError(restError(403)).code).toBe('storage_error');
    expect(describeTransferError(new TypeError('terminated')).code).toBe('network_error');
  });
});
