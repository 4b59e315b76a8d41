/**
 * `qknn experiment` runs tests in RUN_ORDER and reuses a training whose configuration an earlier arm
 * already trained (TrainingMemo): T7's Opt1lim arm is T6's κ = 0.3 arm. Reuse is sound only because a
 * training is a function of its configuration, so the reused arms are compared with fresh ones.
 */
import { describe, expect, it } from 'vitest';
import { resolveQknnConfig } from '../../src/qknn/config.js';
import {
  type ExperimentContext,
  RUN_ORDER,
  TEST_IDS,
  TESTS,
  TrainingMemo,
} from '../../src/qknn/experiment.js';
import { train } from '../../src/qknn/solver.js';

const sizes = { t6: { D: [40], E: 0 }, t7: { D: [40], E: 200 } };

async function t6ThenT7(memo?: TrainingMemo) {
  let trainings = 0;
  const ctx: ExperimentContext = {
    size: 'reduced',
    sizes,
    ...(memo ? { memo } : {}),
    train: async (c) => {
      trainings++;
      return train(c, { engine: 'js' });
    },
  };
  memo?.nextTest();
  await TESTS.t6(ctx);
  memo?.nextTest();
  const t7 = await TESTS.t7(ctx);
  return { trainings, t7 };
}

describe('qknn experiment: trainings shared between tests', () => {
  it('T7 reuses T6’s κ = 0.3 trainings and reports the same arms as fresh ones', {
    timeout: 120_000,
  }, async () => {
    const shared = await t6ThenT7(new TrainingMemo());
    const fresh = await t6ThenT7();
    // T6: 2 trends × 2 configurations; T7: 2 action sets × 2 configurations, Opt1lim reused
    expect(shared.trainings).toBe(6);
    expect(fresh.trainings).toBe(8);
    const strip = (r: typeof shared.t7) => r.arms.map(({ trainSeconds: _, ...a }) => a);
    expect(strip(shared.t7)).toEqual(strip(fresh.t7));
  });

  it('keeps the previous test’s trainings only', () => {
    const memo = new TrainingMemo();
    const c = resolveQknnConfig({ D: 40 });
    const entry = { result: train(c, { engine: 'js', skipCheck: true }), seconds: 1 };
    memo.nextTest();
    memo.set(c, entry);
    memo.nextTest();
    expect(memo.get(c)).toBe(entry);
    expect(memo.get(resolveQknnConfig({ D: 41 }))).toBeUndefined();
    memo.nextTest(); // used by the test before: still kept
    expect(memo.get(c)).toBe(entry);
    memo.nextTest();
    memo.nextTest();
    expect(memo.get(c)).toBeUndefined();
  });

  it('RUN_ORDER runs every test once', () => {
    expect([...RUN_ORDER].sort()).toEqual([...TEST_IDS]);
  });
});
