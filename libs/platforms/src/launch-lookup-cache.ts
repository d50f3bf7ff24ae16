/**
 * A short-lived, in-process memo of the lookups every launch repeats (platform by issuer + client
 * id, by id, and its deployment). A launch then costs Ferry two database statements instead of
 * seven, which is most of the launch benchmark's budget. Writes made through PlatformsService
 * clear it at once; other api replicas see a change within `ttlMs`, which bounds how long a
 * deactivated platform or deployment can still launch there.
 */
export class LaunchLookupCache {
  private readonly entries = new Map<string, { value: Promise<unknown>; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  remember<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > now) return cached.value as Promise<T>;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const entry = { value: load() as Promise<unknown>, expiresAt: now + this.ttlMs };
    this.entries.set(key, entry);
    // A failed lookup is not remembered: the next launch asks the database again.
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.value as Promise<T>;
  }

  clear(): void {
    this.entries.clear();
  }
}
