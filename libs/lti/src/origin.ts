/** True when `url` is an absolute URL on exactly `origin` (scheme, host and port). */
export function isOnOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}
