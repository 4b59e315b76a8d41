/**
 * Environment stepping: ns per environment step for the three vector envs in WASM (num = 1024, one
 * kernel call steps every environment once) against stepping 1024 single environment objects one at a
 * time through their JS `step` (the mbt_gym-style loop), same actions. Automatic resets are included
 * in both. The market-making vector line also carries the simulator's own ns per event (policy "11").
 */

import { type EnvKind, makeVectorEnv } from '../src/env/vector.js';
import { buildMdp } from '../src/execution/env.js';
import { ExecutionEnv } from '../src/execution/gym.js';
import { LobKernel } from '../src/kernels/lob.js';
import { compileKernels, Kernels } from '../src/kernels/wasm.js';
import { configBlock, initialState, paramBlock } from '../src/lob/blocks.js';
import { MarketMakingEnv } from '../src/lob/env.js';
import { intensityTable } from '../src/lob/intensities.js';
import { O_EVENTS, OUT_STRIDE, POLICY_11 } from '../src/lob/layout.js';
import { resolveModel } from '../src/lob/model.js';
import { LqDiffusionEnv } from '../src/lq/env.js';
import { streamBase } from '../src/rng/streams.js';
import { type BenchLine, timeInterleaved } from './bench-line.js';

const NUM = 1024;
/** Vector steps per timed call (each steps all NUM envs), and single-object steps per timed call. */
const VECTOR_STEPS = 200;
const SINGLE_STEPS = 40;

interface SingleEnv {
  step(a: number): { terminated: boolean; truncated: boolean };
  reset(): unknown;
}

const KINDS: {
  env: string;
  kind: EnvKind;
  config: unknown;
  single: () => SingleEnv;
  action: (i: number) => number;
}[] = [
  {
    env: 'market-making',
    kind: 'market-making',
    config: { regime: 'const' },
    single: () => new MarketMakingEnv(resolveModel('const')),
    action: (i) => i % 4,
  },
  {
    env: 'lq',
    kind: 'lq',
    config: {},
    single: () => new LqDiffusionEnv(),
    action: (i) => -1.5 + (i % 3) * 0.1,
  },
  {
    env: 'execution',
    kind: 'execution',
    config: { variant: 'impact' },
    single: () => new ExecutionEnv(buildMdp({ variant: 'impact' })),
    action: () => 0,
  },
];

/** Median CPU milliseconds of `run` over `reps` calls after `warmup` untimed ones. */
function medianCpuMs(run: () => void, reps: number, warmup: number): number {
  return timeInterleaved({ call: { run } }, reps, warmup).call.medianMs;
}

/** The order-book simulator's ns per event (WASM, R-const, policy "11"). */
async function simulatorNsPerEvent(module: WebAssembly.Module): Promise<number> {
  const model = resolveModel('const');
  const blocks = {
    cfg: configBlock(model, POLICY_11),
    prm: paramBlock(model),
    tbl: intensityTable(model),
    init: initialState(model),
  };
  const episodes = 20_000;
  const kernel = new LobKernel(new Kernels(module), blocks, episodes);
  const base = streamBase('bench/env', 0);
  kernel.run(base, 0, 1000);
  const ms = medianCpuMs(() => kernel.run(base, 0, episodes), 5, 1);
  const rec = kernel.records(episodes);
  let events = 0;
  for (let e = 0; e < episodes; e++) events += rec[e * OUT_STRIDE + O_EVENTS] as number;
  return (ms * 1e6) / events;
}

export async function envBench(): Promise<BenchLine[]> {
  const module = await compileKernels('release');
  const simNs = await simulatorNsPerEvent(module);
  const lines: BenchLine[] = [];
  for (const k of KINDS) {
    const venv = await makeVectorEnv(k.kind, { num: NUM, seed: 0, config: k.config, module });
    venv.reset();
    for (let i = 0; i < NUM; i++) venv.actions[i] = k.action(i);
    const runVector = () => {
      for (let s = 0; s < VECTOR_STEPS; s++) venv.step();
    };
    runVector(); // warm-up: WASM has no on-stack replacement
    const vectorNs = (medianCpuMs(runVector, 7, 1) * 1e6) / (NUM * VECTOR_STEPS);

    const envs = Array.from({ length: NUM }, () => k.single());
    for (const e of envs) e.reset();
    const runSingle = () => {
      for (let s = 0; s < SINGLE_STEPS; s++) {
        for (let i = 0; i < NUM; i++) {
          const e = envs[i] as SingleEnv;
          const r = e.step(k.action(i));
          if (r.terminated || r.truncated) e.reset();
        }
      }
    };
    const singleNs = (medianCpuMs(runSingle, 7, 1) * 1e6) / (NUM * SINGLE_STEPS);
    const extra =
      k.kind === 'market-making' ? { simulator_ns_per_event: simNs, vs_simulator: vectorNs / simNs } : {};
    lines.push({
      kernel: 'env-step',
      env: k.env,
      mode: 'vector',
      engine: 'wasm',
      ns_per_env_step: vectorNs,
      num: NUM,
      speedup_vs_single: singleNs / vectorNs,
      ...extra,
    });
    lines.push({
      kernel: 'env-step',
      env: k.env,
      mode: 'single',
      engine: 'js',
      ns_per_env_step: singleNs,
      num: NUM,
    });
  }
  return lines;
}
