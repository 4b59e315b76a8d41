// Regression pin of the Q-learning kernel's exact output (Q table, visit counts, checkpoints, step
// count). The expected digests were computed by the kernel as it was before the issue-14 speed
// rewrite (commit a753bf1); kernel-twin agreement is tested separately (kernel-equals-twin).
import { describe, expect, it } from 'vitest';
import { type EnvInput, parseLearnerConfig } from '../../src/execution/config.js';
import { reachableObs, solve } from '../../src/execution/dp.js';
import { buildMdp } from '../../src/execution/env.js';
import { trainWasm } from '../../src/execution/learner.js';
import { compileKernels } from '../../src/kernels/wasm.js';
import { streamKey } from '../../src/rng/streams.js';
import { BUILDS } from '../support/builds.js';
import { sha256 } from '../support/digest.js';

const CASES: [string, EnvInput, unknown][] = [
  ['impact', { variant: 'impact' }, { episodes: 20000, checkpoints: 10 }],
  ['order-type', { variant: 'order-type' }, { episodes: 20000, checkpoints: 10 }],
  ['noisy-features full', { variant: 'noisy-features', projection: 'full', beta: 2 }, { episodes: 20000 }],
];
const EXPECTED: Record<string, string> = {
  impact: '49f342687879896b10393ba8be1dc0e45af1934d15c8cbc696a4f272e3caea82',
  'order-type': '24767161a1b12f9af575814b89834689a0afeeeeaa4ffd533acaaa1d26154997',
  'noisy-features full': '78059dd220e0d5468d90fd5b2646d03a98175caf5171ead79f24b884a489c2f1',
};

describe.each(BUILDS)('Q-learning kernel output pinned (%s build)', (build) => {
  it.each(CASES)('%s', async (name, env, learner) => {
    const mdp = buildMdp(env);
    const sol = solve(mdp);
    const r = trainWasm(
      {
        mdp,
        learner: parseLearnerConfig(learner),
        key: streamKey('test/execution/pin', 0, 4),
        vstar0: Float64Array.from(mdp.starts, (s) => sol.V[s] as number),
        reachObs: reachableObs(mdp),
      },
      await compileKernels(build),
    );
    expect(r.status).toBe(0);
    const digest = sha256(r.Q, r.counts, r.checkpoints, Float64Array.of(r.steps));
    expect(digest).toBe(EXPECTED[name]);
  });
});
