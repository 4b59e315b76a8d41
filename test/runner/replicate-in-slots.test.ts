import { describe, expect, it } from 'vitest';
import type { Runner } from '../../src/runner/pool.js';
import { replicateInSlots } from '../../src/runner/replicate.js';

// Jobs finish in scrambled order; consumption must still be 0, 1, 2, … and no more than `slots`
// jobs may be dispatched-but-unconsumed at any time (each owning a distinct slot). The runner holds
// every dispatched job and completes the batch in a scripted order (reversed, then rotated, in
// turn) from a microtask: no timers, so the order is the same on every machine.
function scrambledRunner(): Runner {
  let pending: (() => void)[] = [];
  let round = 0;
  const flush = () => {
    const batch = pending;
    pending = [];
    const order = round++ % 2 === 0 ? [...batch].reverse() : [...batch.slice(1), ...batch.slice(0, 1)];
    for (const finish of order) finish();
  };
  return {
    run: () =>
      new Promise((resolve) => {
        if (pending.length === 0) queueMicrotask(flush);
        pending.push(() => resolve(null));
      }),
  } as unknown as Runner;
}

describe('replicateInSlots', () => {
  it('consumes in index order with at most `slots` jobs outstanding, each in its own slot', async () => {
    const owner = new Map<number, number>(); // slot → job currently owning it
    const consumed: number[] = [];
    let outstanding = 0;
    let maxOutstanding = 0;
    await replicateInSlots(
      scrambledRunner(),
      40,
      3,
      (index, slot) => {
        expect(owner.has(slot)).toBe(false);
        owner.set(slot, index);
        outstanding++;
        maxOutstanding = Math.max(maxOutstanding, outstanding);
        return { kind: 'noop', payload: index };
      },
      (index, slot) => {
        expect(owner.get(slot)).toBe(index);
        owner.delete(slot);
        outstanding--;
        consumed.push(index);
      },
    );
    expect(consumed).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(maxOutstanding).toBe(3);
  });

  it('rejects with the first failure and consumes nothing after it', async () => {
    const runner = {
      run: (_: string, payload: unknown) =>
        payload === 2 ? Promise.reject(new Error('seed 2 failed')) : Promise.resolve(null),
    } as unknown as Runner;
    const consumed: number[] = [];
    await expect(
      replicateInSlots(
        runner,
        6,
        2,
        (i) => ({ kind: 'noop', payload: i }),
        (i) => consumed.push(i),
      ),
    ).rejects.toThrow('seed 2 failed');
    expect(consumed).toEqual([0, 1]);
  });
});
