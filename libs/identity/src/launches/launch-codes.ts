/** Redis key of a one-time launch code (value: the launch id). */
export function launchCodeKey(code: string): string {
  return `ferry:launch-code:${code}`;
}
