/**
 * `qknn experiment --keep-trainings DIR` writes every finished training to DIR and reuses it in a
 * later run (TrainingStore): a rerun after an interruption trains nothing it had finished and reports
 * the same arms, ask-share curves and checks as the first run, because the kept policy files hold the
 * grids, Û and Â exactly. A damaged kept file is refused by name, not trained over.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { resolveQknnConfig } from '../../src/qknn/config.js';
import { type ExperimentContext, TESTS, type TestResult } from '../../src/qknn/experiment.js';
import { train } from '../../src/qknn/solver.js';
import { TrainingStore } from '../../src/qknn/training-store.js';

const dir = mkdtempSync(join(tmpdir(), 'quantrl-kept-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sizes = { t6: { D: [40], E: 100 }, t7: { D: [40], E: 200 } };

async function t6AndT7(store: TrainingStore) {
  let trainings = 0;
  const ctx: ExperimentContext = {
    size: 'reduced',
    sizes,
    store,
    train: async (c) => {
      trainings++;
      return train(c, { engine: 'js' });
    },
  };
  const results = [await TESTS.t6(ctx), await TESTS.t7(ctx)];
  return { trainings, results };
}

const strip = (rs: TestResult[]) =>
  rs.map((r) => ({ ...r, arms: r.arms.map(({ trainSeconds: _, ...a }) => a) }));

describe('qknn experiment: trainings kept on disk', () => {
  it('a second run trains nothing and reports what the first reported', { timeout: 120_000 }, async () => {
    const first = await t6AndT7(new TrainingStore(dir));
    // T6: 2 trends × 2 configurations; T7: its Opt1lim arm is T6's κ = 0.3 arm, kept on disk
    expect(first.trainings).toBe(6);
    expect(readdirSync(dir).filter((f) => f.endsWith('.policy.json'))).toHaveLength(6);
    const second = await t6AndT7(new TrainingStore(dir));
    expect(second.trainings).toBe(0);
    expect(strip(second.results)).toEqual(strip(first.results));
  });

  it('refuses a damaged kept training, naming its file', () => {
    const store = new TrainingStore(dir);
    const c = resolveQknnConfig({ regime: 'const', D: 40, trend: 0 });
    const file = store.fileOf(c);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    expect(() => store.get(c)).toThrow(UsageError);
    expect(() => store.get(c)).toThrow(file);
  });
});
