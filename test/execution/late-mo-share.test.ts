import { describe, expect, it } from 'vitest';
import { lateShare } from '../../src/execution/metrics.js';

// E4's "share of MO volume in the last 3 steps" (spec §5 E4): hand-computed shares, and no share at
// all (so the ≥ 0.5 / ≥ 0.9 criteria fail) when a policy sends no market order.
describe('lateShare', () => {
  it('is the volume of the last steps over the total', () => {
    expect(lateShare([0, 1, 1, 2], 3)).toBe(1);
    expect(lateShare([2, 0, 1, 1], 3)).toBe(0.5);
    expect(lateShare([4, 0, 0, 0, 0, 1], 3)).toBe(0.2);
  });

  it('is undefined without volume, so a criterion on it cannot pass', () => {
    const share = lateShare([0, 0, 0, 0], 3);
    expect(share).toBeNaN();
    expect(share >= 0.5).toBe(false);
  });
});
