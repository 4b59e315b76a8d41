// The WASM vector envs equal the single JS envs stepped one at a time (the 'js' engine), bit for bit:
// observations, rewards, flags, final observations, episode records and info arrays, across automatic
// resets, for all three kinds. Actions are a fixed deterministic function of (env, step, observation).
import { beforeAll, describe, expect, it } from 'vitest';
import { type EnvKind, makeVectorEnv, type VectorEnv } from '../../src/env/vector.js';
import { compileKernels } from '../../src/kernels/wasm.js';
import { BUILDS } from '../support/builds.js';

const CASES: [string, EnvKind, unknown, number][] = [
  ['market-making R-const A1lim', 'market-making', { regime: 'const' }, 120],
  [
    'market-making R-ahp A2lim, N = 40',
    'market-making',
    { regime: 'ahp', actions: 'A2lim', maxEvents: 40 },
    120,
  ],
  [
    'market-making R-hlr-dev A2lim-16, η = 0.1',
    'market-making',
    { regime: 'hlr-dev', actions: 'A2lim16', eta: 0.1 },
    120,
  ],
  ['lq default model', 'lq', {}, 250],
  ['lq A = −1, dt = 0.05', 'lq', { A: -1, dt: 0.05 }, 250],
  ['execution impact', 'execution', { variant: 'impact' }, 60],
  ['execution order-type', 'execution', { variant: 'order-type' }, 60],
];
const NUM = 7;

/** A deterministic action for env i at step s (within the feasible prefix for execution). */
function act(venv: VectorEnv, i: number, s: number): number {
  if (venv.kind === 'lq') return -1.7 * (venv.observation(i)[1] as number) + 0.3 * Math.sin(i + s);
  const n =
    venv.kind === 'execution'
      ? ((venv.info.feasible as Int32Array)[i] as number)
      : (venv.actionSpace as { n: number }).n;
  return (i * 7 + s * 3) % n;
}

function snapshot(v: VectorEnv) {
  const info = Object.fromEntries(Object.entries(v.info).map(([k, a]) => [k, Array.from(a)]));
  return {
    observations: Array.from(v.observations),
    rewards: Array.from(v.rewards),
    terminated: Array.from(v.terminated),
    truncated: Array.from(v.truncated),
    info,
  };
}

describe.each(BUILDS)('vector envs (%s build) equal the single envs', (build) => {
  let module: WebAssembly.Module;
  beforeAll(async () => {
    module = await compileKernels(build);
  });

  it.each(CASES)('%s', async (_name, kind, config, steps) => {
    const wasm = await makeVectorEnv(kind, { num: NUM, seed: 5, config, module });
    const js = await makeVectorEnv(kind, { num: NUM, seed: 5, config, engine: 'js' });
    wasm.reset();
    js.reset();
    expect(snapshot(wasm)).toEqual(snapshot(js));
    let ended = 0;
    for (let s = 0; s < steps; s++) {
      for (let i = 0; i < NUM; i++) {
        const a = act(js, i, s);
        wasm.actions[i] = a;
        js.actions[i] = a;
      }
      wasm.step();
      js.step();
      expect(snapshot(wasm)).toEqual(snapshot(js));
      for (let i = 0; i < NUM; i++) {
        if (js.terminated[i] || js.truncated[i]) {
          ended++;
          const d = js.observationSize,
            e = js.episodeStride;
          expect(Array.from(wasm.finalObservations.subarray(i * d, (i + 1) * d))).toEqual(
            Array.from(js.finalObservations.subarray(i * d, (i + 1) * d)),
          );
          expect(Array.from(wasm.episodes.subarray(i * e, (i + 1) * e))).toEqual(
            Array.from(js.episodes.subarray(i * e, (i + 1) * e)),
          );
        }
      }
    }
    expect(ended).toBeGreaterThan(NUM); // automatic resets were exercised
  });
});
