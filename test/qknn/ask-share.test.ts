/**
 * The ask share against best-queue imbalance (AHP's Fig. 6, spec §5.3 T6) on hand-made states: the
 * imbalance bin of the others' best queues, orders per label (A2lim16 masks count their bits), the
 * per-bin share, and T6's two statistics on curves whose answer is known by construction.
 */
import { describe, expect, it } from 'vitest';
import { S_A, S_B, S_PA, S_PB, S_Y, STATE_SLOTS } from '../../src/lob/layout.js';
import {
  AskShareTally,
  gridAskShare,
  imbalanceBin,
  ordersOfLabel,
  trendStatistics,
} from '../../src/qknn/ask-share.js';
import { resolveQknnConfig } from '../../src/qknn/config.js';
import { gridSlots } from '../../src/qknn/grids.js';

/** A state with spread s and qa, qb others' units at the best ask and best bid (frame level s). */
function book(s: number, qa: number, qb: number): Int32Array {
  const st = new Int32Array(STATE_SLOTS);
  st[S_PB] = 100;
  st[S_PA] = 100 + s;
  st[S_A + s - 1] = qa;
  st[S_B + s - 1] = qb;
  return st;
}

describe('ask share against imbalance', () => {
  it('bins q_a/(q_a + q_b) into tenths, the last bin closed; empty best queues are skipped', () => {
    expect(imbalanceBin(book(1, 0, 5), 0, 3)).toBe(0);
    expect(imbalanceBin(book(1, 1, 3), 0, 3)).toBe(2);
    expect(imbalanceBin(book(2, 3, 1), 0, 3)).toBe(7);
    expect(imbalanceBin(book(1, 4, 0), 0, 3)).toBe(9);
    expect(imbalanceBin(book(1, 0, 0), 0, 3)).toBe(-1);
    // spread K + 1 (reservoir): no best queue in the frame
    expect(imbalanceBin(book(1, 2, 2).fill(0, S_A).with(S_PA, 104), 0, 3)).toBe(-1);
  });

  it('counts one order per label in A1lim/A2lim and the mask bits in A2lim16', () => {
    expect([0, 1, 2].map((l) => ordersOfLabel('A2lim', l))).toEqual([0, 1, 1]);
    expect([0, 1, 2, 3].map((l) => ordersOfLabel('A2lim16', l))).toEqual([0, 1, 1, 2]);
  });

  it('share = ask orders / all orders per bin', () => {
    const t = new AskShareTally('A1lim', 3);
    t.add(book(1, 1, 3), 0, 1, 1); // bin 2: one ask, one bid
    t.add(book(1, 1, 3), 0, 1, 0); // bin 2: one ask
    t.add(book(1, 4, 0), 0, 0, 1); // bin 9: one bid
    t.add(book(1, 0, 0), 0, 1, 1); // skipped
    const c = t.curve();
    expect(c.share[2]).toBeCloseTo(2 / 3, 15);
    expect(c.share[9]).toBe(0);
    expect(c.share[0]).toBeNull();
    expect(c.orders[2]).toBe(3);
    expect(c.states).toBe(3);
  });

  it('the grid curve reads steps 1..N−1 with their learned actions; flatOnly keeps y = 0', () => {
    const flat = book(1, 1, 3); // bin 2
    const long = book(1, 4, 1).with(S_Y, 2); // bin 8, y = 2
    // the compact layout of src/qknn/grids.ts: the kept slots of each state, point after point
    const slots = gridSlots('A1lim', 3);
    const states = Int32Array.from([flat, long].flatMap((b) => Array.from(slots, (s) => b[s] as number)));
    const grid = { count: 2, slots, states, times: new Float64Array(2) };
    const step = (actions: number[]) => ({
      count: 2,
      grid,
      actions: Uint8Array.from(actions),
      U: new Float64Array(2),
    });
    // step 0 is not counted; A1lim labels: 2 = ask only, 1 = bid only, 3 = both
    const steps = [step([3, 3]), step([2, 1])];
    const c = resolveQknnConfig({ regime: 'const' });
    const all = gridAskShare(c, 3, [grid, grid], steps);
    expect(all.states).toBe(2);
    expect(all.share[2]).toBe(1);
    expect(all.share[8]).toBe(0);
    const onlyFlat = gridAskShare(c, 3, [grid, grid], steps, true);
    expect(onlyFlat.states).toBe(1);
    expect(onlyFlat.share[8]).toBeNull();
  });

  it('T6 statistics: a falling curve and a curve 0.1 below it', () => {
    const falling = Array.from({ length: 10 }, (_, b) => 0.8 - 0.05 * b + (b % 2) * 0.01);
    const flat = { share: falling, orders: falling.map(() => 10), states: 100 };
    const lower = { ...flat, share: falling.map((v, b) => v - 0.1 + (b % 3) * 0.01) };
    const s = trendStatistics(flat, lower);
    expect(s.rho).toBe(-1);
    expect(s.bins).toBe(10);
    expect(s.rhoCritical).toBe(0.745);
    expect(s.meanDifference).toBeCloseTo(-0.091, 12);
    expect(s.t).toBeLessThan(-(s.tCritical as number));
    // a rising no-trend curve has ρ = +1
    expect(trendStatistics({ ...flat, share: [...falling].reverse() }, lower).rho).toBe(1);
  });
});
