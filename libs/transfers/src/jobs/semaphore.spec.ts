import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore';

describe(Semaphore.name, () => {
  it('admits up to the limit and the next waiter when one releases', async () => {
    const sut = new Semaphore(2);
    const first = await sut.acquire();
    await sut.acquire();
    let thirdIn = false;
    const third = sut.acquire().then((release) => {
      thirdIn = true;
      return release;
    });
    await Promise.resolve();
    expect(thirdIn).toBe(false);
    first();
    first();
    (await third)();
    expect(thirdIn).toBe(true);
  });

  it('lets a waiter give up through its signal without taking a place', async () => {
    const sut = new Semaphore(1);
    const release = await sut.acquire();
    const controller = new AbortController();
    const waiting = sut.acquire(controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    release();
    const again = await sut.acquire();
    expect(again).toBeTypeOf('function');
  });
});
