/**
 * Tabular Q-learning (spec §2) on the default `impact` environment: ns per training step (env step +
 * ε-greedy action choice + update) for the WASM kernel and its TS twin — the same run (default
 * learner, E = 10⁵ episodes, no checkpoints), the same stream and tables, so both engines do exactly
 * the same steps. Each timed call is a fresh whole run; the reset between calls is not timed. Engines
 * are timed interleaved, round by round (bench-line.ts).
 */
import { QL_RING, qlTrain as qlTrainJs } from '../src/baseline/execution.js';
import { streamFromKey } from '../src/baseline/rng.js';
import { parseLearnerConfig } from '../src/execution/config.js';
import { reachableObs, solve } from '../src/execution/dp.js';
import { buildMdp } from '../src/execution/env.js';
import { jsBuffers, type TrainSpec } from '../src/execution/learner.js';
import { schedules } from '../src/execution/schedules.js';
import { QlKernel } from '../src/kernels/execution.js';
import { compileKernels, Kernels } from '../src/kernels/wasm.js';
import { streamKey } from '../src/rng/streams.js';
import { type BenchLine, type Timing, timeInterleaved } from './bench-line.js';

const EPISODES = 100_000;

export async function executionBench(): Promise<BenchLine[]> {
  const mdp = buildMdp({ variant: 'impact' });
  const sol = solve(mdp);
  const spec: TrainSpec = {
    mdp,
    learner: parseLearnerConfig({ episodes: EPISODES, checkpoints: 0 }),
    key: streamKey('bench/execution', 0, 0),
    vstar0: Float64Array.from(mdp.starts, (s) => sol.V[s] as number),
    reachObs: reachableObs(mdp),
  };
  const sch = schedules(spec.learner);

  const kernel = new QlKernel(
    new Kernels(await compileKernels('release')),
    mdp,
    sch,
    0,
    spec.vstar0,
    spec.reachObs,
  );
  const wasmSetup = () => {
    kernel.reset();
    kernel.seed(spec.key);
  };
  wasmSetup();
  kernel.train(0, 2000); // short warm-up call: WASM has no on-stack replacement
  let b = jsBuffers(spec, sch);
  const jsSetup = () => {
    b = jsBuffers(spec, sch);
    b.rng.set(streamFromKey(spec.key));
    b.state.ring.fill(0, 0, QL_RING);
  };
  const t = timeInterleaved(
    {
      wasm: { setup: wasmSetup, run: () => kernel.train(0, EPISODES) },
      js: { setup: jsSetup, run: () => qlTrainJs(b, 0, EPISODES) },
    },
    7,
    1,
  );
  const wasmSteps = kernel.steps();
  const jsSteps = b.state.steps;
  if (jsSteps !== wasmSteps)
    throw new Error(`bench: engines ran different runs (${wasmSteps} vs ${jsSteps} steps)`);

  const line = (engine: BenchLine['engine'], { medianMs, minMs, reps }: Timing): BenchLine => ({
    kernel: 'q-learning',
    engine,
    env: 'impact',
    ns_per_step: (medianMs * 1e6) / wasmSteps,
    updates_per_s: wasmSteps / (medianMs / 1000),
    steps: wasmSteps,
    speedup_vs_js: t.js.medianMs / medianMs,
    ns_per_step_min: (minMs * 1e6) / wasmSteps,
    reps,
  });
  return [line('wasm', t.wasm), line('js', t.js)];
}
