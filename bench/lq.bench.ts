/**
 * LQ kernels: ns per Euler step (2 ziggurat normals + state and gradient update) for the WASM kernel,
 * its two-seed SIMD variant (time per call halved: two seeds advance at once) and the TS twin, on the
 * same streams and schedules; then the model-based plug-in.
 */
import { lqModelFree as lqModelFreeJs } from '../src/baseline/lq.js';
import { initialEstimator, lqModelBased as lqModelBasedJs } from '../src/baseline/lq-model-based.js';
import { streamFromKey } from '../src/baseline/rng.js';
import { LqModelBasedKernel, LqModelFreeKernel, LqModelFreeKernelX2 } from '../src/kernels/lq.js';
import { compileKernels, Kernels } from '../src/kernels/wasm.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_BASED, DEFAULT_MODEL_FREE, eulerSteps } from '../src/lq/model.js';
import { modelBasedSchedule, modelFreeSchedule } from '../src/lq/schedules.js';
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

  const x2 = new LqModelFreeKernelX2(
    new Kernels(await compileKernels('release')),
    m,
    s,
    schedule,
    ITERATIONS,
  );
  x2.seed(key, streamKey('bench-lq', 0, 3));
  const simdMs = (await medianCallMs('lq-model-free wasm-simd', () => x2.run(0, ITERATIONS), 15, 3)) / 2;

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
  return [
    line('wasm', wasmMs),
    line('wasm-simd', simdMs),
    line('js', jsMs),
    ...(await modelBasedLines(wasmMs / ITERATIONS)),
  ];
}

/** The plug-in: ns per Euler step and per iteration (episode + estimator update), and its cost vs model-free. */
async function modelBasedLines(modelFreeMsPerIteration: number): Promise<BenchLine[]> {
  const m = DEFAULT_MODEL,
    s = DEFAULT_MODEL_BASED;
  const steps = eulerSteps(m);
  const schedule = modelBasedSchedule(s, ITERATIONS);
  const key = streamKey('bench-lq', 0, 2);
  const stepsPerCall = ITERATIONS * steps;

  // Late iterations are the steady state of a long run: time iterations 2000…4000 of a warmed estimator.
  const half = ITERATIONS / 2;
  const wasm = new LqModelBasedKernel(
    new Kernels(await compileKernels('release')),
    m,
    s,
    schedule,
    ITERATIONS,
  );
  const wasmMs = await medianCallMs('lq-model-based wasm', () => {
    wasm.seed(key);
    wasm.run(0, half);
    const t = performance.now();
    wasm.run(half, ITERATIONS);
    return { overriddenDuration: performance.now() - t };
  });

  const z = zigguratTables();
  const out = new Float64Array(ITERATIONS);
  const jsMs = await medianCallMs('lq-model-based js', () => {
    const st = streamFromKey(key);
    const est = initialEstimator(s);
    lqModelBasedJs(m, s, schedule, z, st, est, out, steps, 0, half);
    const t = performance.now();
    lqModelBasedJs(m, s, schedule, z, st, est, out, steps, half, ITERATIONS);
    return { overriddenDuration: performance.now() - t };
  });
  const timed = stepsPerCall / 2;
  const line = (engine: BenchLine['engine'], ms: number): BenchLine => ({
    kernel: 'lq-model-based',
    engine,
    ns_per_step: (ms * 1e6) / timed,
    ns_per_iteration: (ms * 1e6) / half,
    steps_per_s: timed / (ms / 1000),
    steps: timed,
    speedup_vs_js: jsMs / ms,
    cost_vs_model_free_wasm: ms / half / modelFreeMsPerIteration,
  });
  return [line('wasm', wasmMs), line('js', jsMs)];
}
