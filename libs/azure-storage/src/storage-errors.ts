import { ErrorCode, FerryError } from '@ferry/errors';

interface ErrorWithDetails {
  name?: string;
  code?: string;
  statusCode?: number;
  cause?: unknown;
  details?: { errorCode?: string };
}

// Network failures seen from Node, undici and @azure/core-rest-pipeline (which reports a failed
// send as REQUEST_SEND_ERROR): the request may not have reached Azure, so trying again is safe.
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'ERR_STREAM_PREMATURE_CLOSE',
  'REQUEST_SEND_ERROR',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

// 4xx answers that describe a passing state rather than a wrong request: Md5Mismatch means a
// block was damaged on the way (send it again); InvalidBlockList means staged blocks vanished
// (someone else committed the blob, or Azure collected blocks left a week), and the next attempt
// re-reads the block list and stages what is missing.
const TRANSIENT_CLIENT_ERROR_CODES = new Set(['Md5Mismatch', 'InvalidBlockList', 'OperationTimedOut']);

const CONDITION_FAILED_CODES = new Set(['ConditionNotMet', 'BlobAlreadyExists', 'TargetConditionNotMet']);

function details(error: unknown): ErrorWithDetails {
  if (typeof error !== 'object' || error === null) return {};
  const raw = error as ErrorWithDetails;
  // A HEAD request (getProperties, exists) has no body: Azure's code only comes in the
  // x-ms-error-code header, which the SDK puts in `details.errorCode` and not in `code`.
  return { name: raw.name, code: raw.code ?? raw.details?.errorCode, statusCode: raw.statusCode, cause: raw.cause };
}

function hasTransientNetworkCode(error: unknown, depth = 0): boolean {
  const { code, cause } = details(error);
  if (code && TRANSIENT_NETWORK_CODES.has(code)) return true;
  return depth < 3 && cause !== undefined && hasTransientNetworkCode(cause, depth + 1);
}

/**
 * Whether trying the same storage operation again later can succeed: 5xx, 408, 429 throttling,
 * resets, timeouts and refused connections are; cancellation, a failed write condition
 * (`blob_exists`), and other 4xx (authorisation, missing container, bad request) are not.
 */
export function isRetryableStorageError(error: unknown): boolean {
  if (error instanceof FerryError) return error.code === ErrorCode.StorageUnavailable;
  const { name, code, statusCode } = details(error);
  if (name === 'AbortError') return false;
  if (typeof statusCode === 'number' && statusCode > 0) {
    if (statusCode >= 500 || statusCode === 408 || statusCode === 429) return true;
    return code !== undefined && TRANSIENT_CLIENT_ERROR_CODES.has(code);
  }
  return hasTransientNetworkCode(error);
}

/** True for Azure's answer to a conditional write whose condition failed (409 BlobAlreadyExists, 412 ConditionNotMet). */
export function isConditionFailure(error: unknown): boolean {
  const { code, statusCode } = details(error);
  return statusCode === 412 || (statusCode === 409 && code !== undefined && CONDITION_FAILED_CODES.has(code));
}

export function blobExistsError(container: string, blobName: string, cause: unknown): FerryError {
  const error = new FerryError(
    ErrorCode.BlobExists,
    `The blob "${blobName}" in container "${container}" already exists or changed since it was checked; nothing was overwritten.`,
    { container, blobName, azureCode: details(cause).code ?? null },
  );
  return Object.assign(error, { cause });
}

/** True when Azure answered 404 because the blob (not the container) is missing. */
export function isBlobNotFound(error: unknown): boolean {
  const { code, statusCode } = details(error);
  return statusCode === 404 && code !== 'ContainerNotFound';
}
