import { RestError } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { ErrorCode, FerryError } from '@ferry/errors';
import { blobExistsError, isBlobNotFound, isConditionFailure, isRetryableStorageError } from './storage-errors';

function restError(statusCode: number | undefined, code?: string): RestError {
  return new RestError(`azure said ${code}`, { statusCode, code });
}

function networkError(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe(isRetryableStorageError.name, () => {
  it('retries server errors and throttling', () => {
    for (const status of [500, 502, 503, 504]) expect(isRetryableStorageError(restError(status, 'ServerBusy'))).toBe(true);
    expect(isRetryableStorageError(restError(429, 'TooManyRequests'))).toBe(true);
    expect(isRetryableStorageError(restError(408, 'RequestTimeout'))).toBe(true);
  });

  it('retries resets, timeouts and refused connections, also when wrapped', () => {
    for (const code of ['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']) {
      expect(isRetryableStorageError(networkError(code))).toBe(true);
    }
    expect(isRetryableStorageError(restError(undefined, 'REQUEST_SEND_ERROR'))).toBe(true);
    expect(isRetryableStorageError(new Error('fetch failed', { cause: networkError('ECONNRESET') }))).toBe(true);
  });

  it('retries a damaged block and a block list whose blocks vanished', () => {
    expect(isRetryableStorageError(restError(400, 'Md5Mismatch'))).toBe(true);
    expect(isRetryableStorageError(restError(400, 'InvalidBlockList'))).toBe(true);
  });

  it('does not retry other client errors', () => {
    expect(isRetryableStorageError(restError(400, 'InvalidHeaderValue'))).toBe(false);
    expect(isRetryableStorageError(restError(403, 'AuthorizationFailure'))).toBe(false);
    expect(isRetryableStorageError(restError(404, 'ContainerNotFound'))).toBe(false);
    expect(isRetryableStorageError(restError(409, 'BlobAlreadyExists'))).toBe(false);
    expect(isRetryableStorageError(restError(412, 'ConditionNotMet'))).toBe(false);
  });

  it('does not retry cancellation, blob_exists or size_mismatch', () => {
    expect(isRetryableStorageError(new DOMException('stopped', 'AbortError'))).toBe(false);
    expect(isRetryableStorageError(blobExistsError('c', 'b', restError(412, 'ConditionNotMet')))).toBe(false);
    expect(isRetryableStorageError(new FerryError(ErrorCode.SizeMismatch, 'short'))).toBe(false);
    expect(isRetryableStorageError(new FerryError(ErrorCode.StorageUnavailable, 'down'))).toBe(true);
  });

  it('does not retry unknown errors', () => {
    expect(isRetryableStorageError(new TypeError('bug'))).toBe(false);
    expect(isRetryableStorageError('text')).toBe(false);
    expect(isRetryableStorageError(undefined)).toBe(false);
  });
});

describe(isConditionFailure.name, () => {
  it('recognises failed write conditions only', () => {
    expect(isConditionFailure(restError(412, 'ConditionNotMet'))).toBe(true);
    expect(isConditionFailure(restError(409, 'BlobAlreadyExists'))).toBe(true);
    expect(isConditionFailure(restError(409, 'ConditionNotMet'))).toBe(true);
    expect(isConditionFailure(restError(409, 'LeaseIdMissing'))).toBe(false);
    expect(isConditionFailure(restError(500, 'InternalError'))).toBe(false);
  });
});

describe(blobExistsError.name, () => {
  it('is a FerryError blob_exists naming the blob', () => {
    const error = blobExistsError('ferry', 'a/b.pdf', restError(412, 'ConditionNotMet'));
    expect(error.code).toBe(ErrorCode.BlobExists);
    expect(error.message).toContain('a/b.pdf');
    expect(error.details).toEqual({ container: 'ferry', blobName: 'a/b.pdf', azureCode: 'ConditionNotMet' });
  });
});

describe(isBlobNotFound.name, () => {
  it('is true for a missing blob, not for a missing container', () => {
    expect(isBlobNotFound(restError(404, 'BlobNotFound'))).toBe(true);
    expect(isBlobNotFound(restError(404, 'ContainerNotFound'))).toBe(false);
    expect(isBlobNotFound(restError(403, 'AuthorizationFailure'))).toBe(false);
  });

  it('reads the code of a HEAD answer, which only the x-ms-error-code header carries', () => {
    const headAnswer = Object.assign(restError(404), { details: { errorCode: 'ContainerNotFound' } });
    expect(isBlobNotFound(headAnswer)).toBe(false);
    expect(isBlobNotFound(Object.assign(restError(404), { details: { errorCode: 'BlobNotFound' } }))).toBe(true);
  });
});
