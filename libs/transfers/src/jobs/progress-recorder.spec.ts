import { describe, expect, it } from 'vitest';
import { ProgressRecorder } from './progress-recorder';

describe(ProgressRecorder.name, () => {
  it('writes at most once per interval unless 8 MiB went by, never two writes at once', async () => {
    let now = 10_000;
    const writes: number[] = [];
    const sut = new ProgressRecorder(
      async (bytes) => {
        writes.push(bytes);
        return true;
      },
      () => undefined,
      1000,
      8 * 1024 * 1024,
      () => now,
    );
    sut.report(100);
    await sut.settle();
    expect(writes).toEqual([]);
    now += 1000;
    sut.report(100);
    await sut.settle();
    for (let i = 1; i <= 50; i++) sut.report(100 + i * 1024);
    await sut.settle();
    expect(writes).toEqual([100]);
    sut.report(9 * 1024 * 1024);
    await sut.settle();
    now += 1000;
    sut.report(9 * 1024 * 1024 + 1);
    await sut.settle();
    expect(writes).toEqual([100, 9 * 1024 * 1024, 9 * 1024 * 1024 + 1]);
  });

  it('reports a stopped item when the write finds it no longer running', async () => {
    let stopped = false;
    let now = 0;
    const sut = new ProgressRecorder(
      async () => false,
      () => {
        stopped = true;
      },
      1000,
      8 * 1024 * 1024,
      () => now,
    );
    now = 1000;
    sut.report(1);
    await sut.settle();
    expect(stopped).toBe(true);
  });
});
