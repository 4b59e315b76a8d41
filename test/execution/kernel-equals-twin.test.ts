import { describe, expect, it } from 'vitest';
import { qlTrain as qlTrainJs } from '../../src/baseline/execution.js';
import { type EnvInput, parseLearnerConfig } from '../../src/execution/config.js';
import { reachableObs, solve } from '../../src/execution/dp.js';
import { buildMdp } from '../../src/execution/env.js';
import { evaluateMc, jsBuffers, type TrainSpec, trainJs, trainWasm } from '../../src/execution/learner.js';
import { compileKernels } from '../../src/kernels/wasm.js';
import { streamKey } from '../../src/rng/streams.js';
import { BUILDS } from '../support/builds.js';

function spec(env: EnvInput, learner: unknown, seed = 0): TrainSpec {
  const mdp = buildMdp(env);
  const sol = solve(mdp);
  return {
    mdp,
    learner: parseLearnerConfig(learner),
    key: streamKey('test/execution/parity', 0, seed),
    vstar0: Float64Array.from(mdp.starts, (s) => sol.V[s] as number),
    reachObs: reachableObs(mdp),
  };
}

const CASES: [string, EnvInput, unknown][] = [
  ['deterministic', { variant: 'deterministic' }, { episodes: 3000 }],
  [
    'deterministic, coarse grid, exp ε, const α',
    { variant: 'deterministic', actions: [0, 5, 10], inventoryPenalty: 0.1, gamma: 0.9 },
    { episodes: 2000, epsilon: { kind: 'exp' }, alpha: { kind: 'const', value: 0.3 } },
  ],
  ['impact', { variant: 'impact' }, { episodes: 3000, alpha: { kind: 'poly', omega: 0.55 } }],
  ['impact pi', { variant: 'impact', reward: 'pi', inventoryPenalty: 0.05 }, { episodes: 1000 }],
  // rows of 8 and 16 entries: the kernel's other straight-line row-header refreshes (A2 = 4 and 12 above)
  ['impact, 6 sizes', { variant: 'impact', actions: [0, 1, 2, 3, 5, 8] }, { episodes: 1000 }],
  [
    'impact, 14 sizes',
    { variant: 'impact', actions: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] },
    { episodes: 1000 },
  ],
  [
    'regret',
    {
      variant: 'impact',
      q0: 6,
      horizon: 3,
      reward: 'regret',
      noise: { values: [-3, 0, 3], probs: [0.25, 0.5, 0.25] },
    },
    { episodes: 3000 },
  ],
  ['order-type', { variant: 'order-type' }, { episodes: 3000, epsilon: { kind: 'const', value: 0.3 } }],
  [
    'order-type all-or-nothing, per-lot crossing',
    { variant: 'order-type', fill: { kind: 'all-or-nothing', p: 0.4 }, crossPenalty: 1, crossPerLot: true },
    { episodes: 1000 },
  ],
  [
    'noisy-features full, informative',
    { variant: 'noisy-features', projection: 'full', beta: 2 },
    { episodes: 3000, qInit: -5 },
  ],
  ['noisy-features minimal', { variant: 'noisy-features' }, { episodes: 3000 }],
];

describe.each(BUILDS)('WASM Q-learning = TS twin, bit for bit (%s build)', (build) => {
  it.each(CASES)('%s: Q, counts, checkpoints and step count agree', async (_, env, learner) => {
    const s = spec(env, learner);
    const w = trainWasm(s, await compileKernels(build));
    const j = trainJs(s);
    expect(w.status).toBe(0);
    expect(j.status).toBe(0);
    expect(w.steps).toBe(j.steps);
    expect(Buffer.from(w.Q.buffer).equals(Buffer.from(j.Q.buffer))).toBe(true);
    expect(Buffer.from(w.counts.buffer).equals(Buffer.from(j.counts.buffer))).toBe(true);
    expect(Buffer.from(w.checkpoints.buffer).equals(Buffer.from(j.checkpoints.buffer))).toBe(true);
    // the greedy evaluation kernel too, on a policy that depends on the state
    const pol = Int32Array.from({ length: s.mdp.horizon * s.mdp.states }, (_, i) =>
      Math.min((s.mdp.feasible[i % s.mdp.states] as number) - 1, i % 3),
    ).map((a) => Math.max(a, 0));
    const key = streamKey('test/execution/parity/eval', 0, 0);
    const mw = evaluateMc(s.mdp, pol, key, 500, 'wasm', w.kernel);
    const mj = evaluateMc(s.mdp, pol, key, 500, 'js');
    expect(Buffer.from(mw.buffer).equals(Buffer.from(mj.buffer))).toBe(true);
  });
});

describe('runs split into calls', () => {
  it('continue the same stream and schedules exactly (twin: any split gives the same run)', () => {
    const s = spec({ variant: 'impact' }, { episodes: 2000, epsilon: { kind: 'exp' } });
    const whole = jsBuffers(s);
    qlTrainJs(whole, 0, 2000);
    const split = jsBuffers(s);
    for (const [a, b] of [
      [0, 1],
      [1, 37],
      [37, 1000],
      [1000, 2000],
    ] as const)
      qlTrainJs(split, a, b);
    expect(Buffer.from(split.Q.buffer).equals(Buffer.from(whole.Q.buffer))).toBe(true);
    expect(Buffer.from(split.ckOut.buffer).equals(Buffer.from(whole.ckOut.buffer))).toBe(true);
    expect(split.state.steps).toBe(whole.state.steps);
  });
});
