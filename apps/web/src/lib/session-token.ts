/**
 * Where the Ferry session token lives: in memory, and in sessionStorage so that a reload of the
 * iframe keeps the session. Never localStorage (it would outlive the launch) and never cookies:
 * Ferry runs in Moodle's third-party iframe, where browsers block or partition them.
 */
const storageKey = 'ferry.sessionToken';

let tokenInMemory: string | null = null;

export function readSessionToken(): string | null {
  tokenInMemory ??= withStorage((storage) => storage.getItem(storageKey));
  return tokenInMemory;
}

export function saveSessionToken(token: string): void {
  tokenInMemory = token;
  withStorage((storage) => storage.setItem(storageKey, token));
}

export function clearSessionToken(): void {
  tokenInMemory = null;
  withStorage((storage) => storage.removeItem(storageKey));
}

// A browser that blocks all site data throws on any sessionStorage access; the session then
// lasts until the iframe reloads, which is still better than no session.
function withStorage<T>(use: (storage: Storage) => T): T | null {
  try {
    return use(window.sessionStorage);
  } catch {
    return null;
  }
}
