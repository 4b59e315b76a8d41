import { beforeAll, describe, expect, it } from 'vitest';
import { NumericError } from '../../src/errors.js';
import { parseEnvConfig, parseLearnerConfig } from '../../src/execution/config.js';
import { poolExecutor } from '../../src/execution/executor.js';
import { type QlTask, runQlTask } from '../../src/execution/tasks.js';
import { compileKernels } from '../../src/kernels/wasm.js';
import { Runner } from '../../src/runner/pool.js';

// A non-finite configuration: with k = 1e308 the cost k·a² of selling two lots overflows to −∞, so
// the first episode that sells two lots in one step writes a non-finite Q value. The kernels check
// every episode (kernels/engine.ts), so the failure is reported with its 1-based episode whether or
// not checkpoints are recorded, and never as a passing run with NaN in its statistics.
const env = parseEnvConfig({ variant: 'deterministic', k: 1e308 });
const task = (checkpoints: number, engine: 'wasm' | 'js'): QlTask => ({
  experiment: 'execution/train',
  run: 0,
  seed: 3,
  engine,
  env,
  learner: parseLearnerConfig({ episodes: 200, checkpoints }),
  evalEpisodes: 0,
});

function failure(fn: () => unknown): NumericError {
  try {
    fn();
  } catch (err) {
    if (err instanceof NumericError) return err;
    throw err;
  }
  throw new Error('expected a NumericError');
}

describe('a non-finite Q-learning run', () => {
  let module: WebAssembly.Module;
  beforeAll(async () => {
    module = await compileKernels('release');
  });

  it('fails with the same first episode on both engines, with or without checkpoints', () => {
    const errors = [0, 50].flatMap((ck) =>
      (['wasm', 'js'] as const).map((engine) => failure(() => runQlTask(task(ck, engine), module))),
    );
    const first = errors[0] as NumericError;
    expect(first.unit).toBe('episode');
    expect(first.index).toBeGreaterThanOrEqual(1);
    for (const e of errors) {
      expect(e).toMatchObject({
        study: 'execution/train',
        run: 0,
        seed: 3,
        unit: 'episode',
        index: first.index,
      });
      expect(e.message).toBe(`execution/train: run 0, seed 3: non-finite value at episode ${first.index}`);
    }
  });

  it('fails a pool run with checkpoints off', async () => {
    const runner = await Runner.open({ workers: 1 });
    try {
      const run = poolExecutor(runner).run([task(0, 'wasm')], () => undefined);
      await expect(run).rejects.toThrow(/run 0, seed 3: non-finite value at episode \d+/);
    } finally {
      await runner.close();
    }
  });
});
