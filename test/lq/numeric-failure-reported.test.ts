import { describe, expect, it } from 'vitest';
import { compileKernels } from '../../src/kernels/wasm.js';
import { runModelFreeSeed } from '../../src/lq/engines.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_FREE } from '../../src/lq/model.js';
import { modelFreeSchedule } from '../../src/lq/schedules.js';
import type { ModelFreeTask } from '../../src/lq/tasks.js';
import { streamKey } from '../../src/rng/streams.js';
import { Runner } from '../../src/runner/pool.js';

// A blow-up (x₀ = 1e200 makes x² overflow in the first episode) is reported, not clamped away:
// both engines stop at iteration 1, and a pool task fails loudly naming run, seed and iteration.
const model = { ...DEFAULT_MODEL, x0: 1e200 };
const N = 50;

describe('non-finite episodes', () => {
  it('are reported by the kernel and the twin with their iteration', async () => {
    const module = await compileKernels('debug');
    const run = {
      model,
      settings: DEFAULT_MODEL_FREE,
      iterations: N,
      schedule: modelFreeSchedule(model, DEFAULT_MODEL_FREE, N),
      key: 9n,
    };
    expect(runModelFreeSeed(run, 'wasm', module).failedAt).toBe(1);
    expect(runModelFreeSeed(run, 'js', module).failedAt).toBe(1);
  });

  it('fail the study task with seed and iteration', async () => {
    const runner = await Runner.open({ workers: 1 });
    const task: ModelFreeTask = {
      experiment: 'lq-actor-critic',
      run: 0,
      seed: 7,
      key: streamKey('lq-actor-critic', 0, 7),
      engine: 'wasm',
      sink: { buffer: new SharedArrayBuffer(16 * (N + 1)), offset: 0 },
      model,
      settings: DEFAULT_MODEL_FREE,
      iterations: N,
    };
    try {
      await expect(runner.run('lq-model-free', task)).rejects.toThrow(/run 0, seed 7: .* at iteration 1/);
    } finally {
      await runner.close();
    }
  });
});
