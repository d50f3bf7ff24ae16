/** How Ferry talks to Moodle. Defaults suit production; tests shrink the delays. */
export interface MoodleWsOptions {
  /** Time one web service attempt may take, answer body included. A timed-out call is not retried. */
  readTimeoutMs: number;
  /** How long a file download may wait for response headers; the body then flows for as long as it takes. */
  downloadHeadersTimeoutMs: number;
  /** Attempts for an idempotent read, the first one included. */
  maxAttempts: number;
  /** First backoff; each retry doubles it, with full jitter, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Redirect hops a download may follow (object storage behind tool_objectfs, X-Sendfile setups). */
  maxRedirects: number;
}

export const MOODLE_WS_OPTIONS = Symbol('MOODLE_WS_OPTIONS');

export const defaultMoodleWsOptions: MoodleWsOptions = {
  readTimeoutMs: 30_000,
  downloadHeadersTimeoutMs: 30_000,
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxRedirects: 5,
};
