/**
 * Pooled training (each backward step's grid points split over the workers, step n+1's index shared
 * through SharedArrayBuffers) gives byte-identical Û_n, Â_n, V̂_0 and V̂_0(11) to the synchronous
 * `train`, with 1 and 2 workers, for the WASM kernels and the TS twin; the double estimator at a small
 * D with the split index (the default above bruteMax) and brute force below it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnnKernel } from '../../src/kernels/knn.js';
import { resolveQknnConfig } from '../../src/qknn/config.js';
import { pooledSteps, trainPooled } from '../../src/qknn/pool.js';
import { type TrainResult, train } from '../../src/qknn/solver.js';
import { QKNN_CHUNK_TASK, type QknnChunkResult, type QknnChunkTask } from '../../src/qknn/tasks.js';
import { Runner } from '../../src/runner/pool.js';
import { instance } from '../support/builds.js';

function bytes(r: TrainResult): Buffer[] {
  return r.steps.flatMap((s) => [
    Buffer.from(s.U.buffer, s.U.byteOffset, s.U.byteLength),
    Buffer.from(s.actions),
  ]);
}

describe('Qknn pooled training = synchronous training', () => {
  const runners = new Map<number, Runner>();
  beforeAll(async () => {
    for (const w of [1, 2]) runners.set(w, await Runner.open({ workers: w }));
  });
  afterAll(async () => {
    for (const r of runners.values()) await r.close();
  });

  for (const engine of ['wasm', 'js'] as const) {
    it(`${engine}: 1 and 2 workers, split and brute-force buckets`, async () => {
      const c = resolveQknnConfig({ T: 0.2, N: 6, D: 300, bruteMax: 40 });
      const kernel = engine === 'wasm' ? new KnnKernel(await instance('release')) : undefined;
      const sync = train(c, { engine, ...(kernel ? { kernel } : {}) });
      for (const w of [1, 2]) {
        const runner = runners.get(w) as Runner;
        const seen: number[] = [];
        const pooled = await trainPooled(c, {
          engine,
          workers: w,
          run: (t: QknnChunkTask) => runner.run<QknnChunkResult>(QKNN_CHUNK_TASK, t),
          onSteps: (d) => seen.push(d),
        });
        expect(pooled.V0).toEqual(sync.V0);
        expect(Object.is(pooled.V0of11, sync.V0of11)).toBe(true);
        expect(Buffer.concat(bytes(pooled)).equals(Buffer.concat(bytes(sync)))).toBe(true);
        expect(pooled.timings.queries).toBe(sync.timings.queries);
        // the display's counter reaches every backward step of the policy and of the check
        expect(seen.at(-1)).toBe(pooledSteps(6, {}));
      }
    }, 120_000);
  }
});
