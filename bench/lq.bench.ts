/**
 * LQ kernels: ns per Euler step (2 ziggurat normals + state and gradient update) for the WASM kernel,
 * its two-seed SIMD variant (time per call halved: two seeds advance at once) and the TS twin, on the
 * same streams and schedules; then the model-based plug-in on the same three engines. Engines are timed
 * interleaved, round by round (bench-line.ts).
 */
import { lqModelFree as lqModelFreeJs } from '../src/baseline/lq.js';
import { initialEstimator, lqModelBased as lqModelBasedJs } from '../src/baseline/lq-model-based.js';
import { streamFromKey } from '../src/baseline/rng.js';
import {
  LqModelBasedKernel,
  LqModelBasedKernelX2,
  LqModelFreeKernel,
  LqModelFreeKernelX2,
} from '../src/kernels/lq.js';
import { compileKernels, Kernels } from '../src/kernels/wasm.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_BASED, DEFAULT_MODEL_FREE, eulerSteps } from '../src/lq/model.js';
import { modelBasedSchedule, modelFreeSchedule } from '../src/lq/schedules.js';
import { streamKey } from '../src/rng/streams.js';
import { zigguratTables } from '../src/rng/ziggurat.js';
import { type BenchLine, type Timing, timeInterleaved } from './bench-line.js';

const ITERATIONS = 4000;

/** Seeds per call of each engine: the SIMD kernels advance two seeds at once. */
const LANES = { wasm: 1, 'wasm-simd': 2, js: 1 } as const;

export async function lqBench(): Promise<BenchLine[]> {
  const m = DEFAULT_MODEL,
    s = DEFAULT_MODEL_FREE;
  const steps = eulerSteps(m);
  const schedule = modelFreeSchedule(m, s, ITERATIONS);
  const key = streamKey('bench-lq', 0, 1);
  const stepsPerCall = ITERATIONS * steps;
  const module = await compileKernels('release');

  const wasm = new LqModelFreeKernel(new Kernels(module), m, s, schedule, ITERATIONS);
  wasm.seed(key);
  const x2 = new LqModelFreeKernelX2(new Kernels(module), m, s, schedule, ITERATIONS);
  x2.seed(key, streamKey('bench-lq', 0, 3));
  const z = zigguratTables();
  const st = streamFromKey(key);
  const out = new Float64Array(ITERATIONS + 1);
  out[0] = s.phi1Init;
  const t = timeInterleaved(
    {
      wasm: { run: () => wasm.run(0, ITERATIONS) },
      'wasm-simd': { run: () => x2.run(0, ITERATIONS) },
      js: { run: () => lqModelFreeJs(m, s, schedule, z, st, out, steps, 0, ITERATIONS) },
    },
    15,
    3,
  );

  const line = (engine: keyof typeof LANES, { medianMs, minMs, reps }: Timing): BenchLine => {
    const ms = medianMs / LANES[engine];
    return {
      kernel: 'lq-model-free',
      engine,
      ns_per_step: (ms * 1e6) / stepsPerCall,
      steps_per_s: stepsPerCall / (ms / 1000),
      steps: stepsPerCall,
      speedup_vs_js: t.js.medianMs / ms,
      ns_per_step_min: ((minMs / LANES[engine]) * 1e6) / stepsPerCall,
      reps,
    };
  };
  return [
    line('wasm', t.wasm),
    line('wasm-simd', t['wasm-simd']),
    line('js', t.js),
    ...modelBasedLines(module, t.wasm.medianMs / ITERATIONS),
  ];
}

/** The plug-in: ns per Euler step and per iteration (episode + estimator update), and its cost vs model-free. */
function modelBasedLines(module: WebAssembly.Module, modelFreeMsPerIteration: number): BenchLine[] {
  const m = DEFAULT_MODEL,
    s = DEFAULT_MODEL_BASED;
  const steps = eulerSteps(m);
  const schedule = modelBasedSchedule(s, ITERATIONS);
  const key = streamKey('bench-lq', 0, 2);
  const key2 = streamKey('bench-lq', 0, 4);

  // Late iterations are the steady state of a long run: time iterations 2000…4000 of a warmed
  // estimator (the first half runs untimed in the setup).
  const half = ITERATIONS / 2;
  const wasm = new LqModelBasedKernel(new Kernels(module), m, s, schedule, ITERATIONS);
  const x2 = new LqModelBasedKernelX2(new Kernels(module), m, s, schedule, ITERATIONS);
  const z = zigguratTables();
  const out = new Float64Array(ITERATIONS);
  let st = streamFromKey(key);
  let est = initialEstimator(s);
  const t = timeInterleaved(
    {
      wasm: {
        setup: () => {
          wasm.seed(key);
          wasm.run(0, half);
        },
        run: () => wasm.run(half, ITERATIONS),
      },
      'wasm-simd': {
        setup: () => {
          x2.seed(key, key2);
          x2.run(0, half);
        },
        run: () => x2.run(half, ITERATIONS),
      },
      js: {
        setup: () => {
          st = streamFromKey(key);
          est = initialEstimator(s);
          lqModelBasedJs(m, s, schedule, z, st, est, out, steps, 0, half);
        },
        run: () => lqModelBasedJs(m, s, schedule, z, st, est, out, steps, half, ITERATIONS),
      },
    },
    7,
    2,
  );
  const timed = half * steps;
  const line = (engine: keyof typeof LANES, { medianMs, minMs, reps }: Timing): BenchLine => {
    const ms = medianMs / LANES[engine];
    return {
      kernel: 'lq-model-based',
      engine,
      ns_per_step: (ms * 1e6) / timed,
      ns_per_iteration: (ms * 1e6) / half,
      steps_per_s: timed / (ms / 1000),
      steps: timed,
      speedup_vs_js: t.js.medianMs / ms,
      cost_vs_model_free_wasm: ms / half / modelFreeMsPerIteration,
      ns_per_step_min: ((minMs / LANES[engine]) * 1e6) / timed,
      reps,
    };
  };
  return [line('wasm', t.wasm), line('wasm-simd', t['wasm-simd']), line('js', t.js)];
}
