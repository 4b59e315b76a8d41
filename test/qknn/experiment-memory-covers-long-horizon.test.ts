/**
 * The experiment's memory plan is taken over its tests, each at its hungriest arm: T5 at full size
 * must be planned for its T = 10 trainings (N = 400 steps), not for a T = 1 one. The expected lower
 * bound is computed here from the training plan of that configuration: its two T = 10 policies (the
 * T = 1 ones are smaller) and the indexes of the one policy under evaluation.
 */
import { describe, expect, it } from 'vitest';
import { resolveQknnConfig } from '../../src/qknn/config.js';
import { experimentMemory, SIZES, TEST_IDS, type TestId } from '../../src/qknn/experiment.js';
import { qknnMemoryPlan } from '../../src/qknn/memory.js';

const full = {} as Record<TestId, { D: number[] }>;
for (const id of TEST_IDS) full[id] = SIZES[id].full;

describe('experiment memory plan', () => {
  it('plans T5 for its T = 10 policies and the indexes of one of them', () => {
    const long = qknnMemoryPlan(resolveQknnConfig({ regime: 'const', T: 10, N: 400, D: 100_000 }));
    const need = experimentMemory(['t5'], full, '--size');
    expect(need.mainBytes).toBeGreaterThanOrEqual(2 * long.policyBytes + long.policyIndexBytes);
    expect(need.flag).toBe('--size');
  });

  it('plans a run of several tests for the largest of them', () => {
    const one = experimentMemory(['t5'], full, '--size');
    const all = experimentMemory(['t3', 't5', 't6', 't7', 't4', 't8'], full, '--size');
    expect(all.mainBytes).toBeGreaterThanOrEqual(one.mainBytes);
    expect(all.kernelBytes).toBeGreaterThanOrEqual(experimentMemory(['t8'], full, '--size').kernelBytes);
  });
});
