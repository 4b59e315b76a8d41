import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineExecutor, poolExecutor } from '../../src/execution/executor.js';
import { e1, e4 } from '../../src/execution/experiments/index.js';
import { compileKernels } from '../../src/kernels/wasm.js';
import { Runner } from '../../src/runner/pool.js';

// Replications through the runner: identical results for 1 and 2 workers and in-process.
let one: Runner;
let two: Runner;
beforeAll(async () => {
  [one, two] = await Promise.all([Runner.open({ workers: 1 }), Runner.open({ workers: 2 })]);
});
afterAll(async () => {
  await Promise.all([one.close(), two.close()]);
});

describe('execution runs through the worker pool', () => {
  it('E1 and E4 tables are identical for 1 worker, 2 workers and in-process', async () => {
    const opts = { seeds: 4, episodes: [3000], evalEpisodes: 500 };
    const inline = inlineExecutor(await compileKernels('release'));
    for (const run of [e1, e4]) {
      const [a, b, c] = [
        await run({ ...opts, exec: poolExecutor(one) }),
        await run({ ...opts, exec: poolExecutor(two) }),
        await run({ ...opts, exec: inline }),
      ];
      expect(JSON.stringify(b.table)).toBe(JSON.stringify(a.table));
      expect(JSON.stringify(c.table)).toBe(JSON.stringify(a.table));
      expect(b.steps).toBe(a.steps);
    }
  }, 120_000);

  it('the js engine gives the same tables as wasm', async () => {
    const opts = { seeds: 3, episodes: [2000], evalEpisodes: 300 };
    const w = await e4({ ...opts, exec: poolExecutor(two) });
    const j = await e4({ ...opts, engine: 'js', exec: poolExecutor(two) });
    expect(JSON.stringify(j.table)).toBe(JSON.stringify(w.table));
  }, 120_000);
});
