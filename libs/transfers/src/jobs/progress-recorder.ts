/**
 * Persists an item's bytes done at a bounded rate — at most once a second, or sooner after 8 MiB —
 * never per chunk. Each write also tells whether the item is still running: when the api has
 * cancelled it and the broadcast was missed, `onStopped` fires.
 */
export class ProgressRecorder {
  private lastSavedAt: number;
  private lastSavedBytes = 0;
  private latest = 0;
  private saving: Promise<void> | null = null;

  constructor(
    private readonly save: (bytes: number) => Promise<boolean>,
    private readonly onStopped: () => void,
    private readonly intervalMs = 1000,
    private readonly everyBytes = 8 * 1024 * 1024,
    private readonly now: () => number = Date.now,
  ) {
    // The claim just wrote the row: the first write is due an interval from now (a small file never needs one).
    this.lastSavedAt = now();
  }

  report(bytes: number): void {
    this.latest = bytes;
    if (this.saving) return;
    const due = this.now() - this.lastSavedAt >= this.intervalMs || bytes - this.lastSavedBytes >= this.everyBytes;
    if (!due) return;
    this.lastSavedAt = this.now();
    this.lastSavedBytes = bytes;
    this.saving = this.save(bytes)
      .then((stillRunning) => {
        if (!stillRunning) this.onStopped();
      })
      .catch(() => undefined)
      .finally(() => {
        this.saving = null;
      });
  }

  /** Waits for a write in flight, so none lands after the item's outcome. */
  async settle(): Promise<void> {
    await this.saving;
  }

  get bytes(): number {
    return this.latest;
  }
}
