/**
 * LQ model-free kernel: ns per Euler step (2 ziggurat normals + state and gradient update) for the
 * WASM kernel and its TS twin, on the same stream and schedules.
 */
import { lqModelFree as lqModelFreeJs } from '../src/baseline/lq.js';
import { streamFromKey } from '../src/baseline/rng.js';
import { LqModelFreeKernel } from '../src/kernels/lq.js';
import { compileKernels, Kernels } from '../src/kernels/wasm.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_FREE, eulerSteps } from '../src/lq/model.js';
import { modelFreeSchedule } from '../src/lq/schedules.js';
import { streamKey } from '../src/rng/streams.js';
import { zigguratTables } from '../src/rng/ziggurat.js';
import { type BenchLine, medianCallMs } from './bench-line.js';

const ITERATIONS = 4000;

export async function lqBench(): Promise<BenchLine[]> {
  const m = DEFAULT_MODEL,
    s = DEFAULT_MODEL_FREE;
  const steps = eulerSteps(m);
  const schedule = modelFreeSchedule(m, s, ITERATIONS);
  const key = streamKey('bench-lq', 0, 1);
  const stepsPerCall = ITERATIONS * steps;

  const wasm = new LqModelFreeKernel(
    new Kernels(await compileKernels('release')),
    m,
    s,
    schedule,
    ITERATIONS,
  );
  wasm.seed(key);
  const wasmMs = await medianCallMs('lq-model-free wasm', () => wasm.run(0, ITERATIONS), 15, 3);

  const z = zigguratTables();
  const st = streamFromKey(key);
  const out = new Float64Array(ITERATIONS + 1);
  out[0] = s.phi1Init;
  const jsMs = await medianCallMs('lq-model-free js', () =>
    lqModelFreeJs(m, s, schedule, z, st, out, steps, 0, ITERATIONS),
  );

  const line = (engine: BenchLine['engine'], ms: number): BenchLine => ({
    kernel: 'lq-model-free',
    engine,
    ns_per_step: (ms * 1e6) / stepsPerCall,
    steps_per_s: stepsPerCall / (ms / 1000),
    steps: stepsPerCall,
    speedup_vs_js: jsMs / ms,
  });
  return [line('wasm', wasmMs), line('js', jsMs)];
}
