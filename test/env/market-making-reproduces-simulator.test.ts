// MarketMakingEnv driven by the built-in baselines (their words drawn from the env's own stream)
// reproduces the WASM simulator's episodes bit for bit: same stream family, same episode index, same
// records; and the per-step rewards sum to the simulator's terminal reward g.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileKernels } from '../../src/kernels/wasm.js';
import { runEpisodes } from '../../src/lob/engines.js';
import { MarketMakingEnv } from '../../src/lob/env.js';
import { streamBase } from '../../src/lob/harness.js';
import { O_REWARD, OUT_STRIDE } from '../../src/lob/layout.js';
import { type LobModel, resolveModel } from '../../src/lob/model.js';
import { builtinPolicy, POLICY_NAMES } from '../../src/lob/policies.js';

const MODELS: [string, LobModel][] = [
  ['R-const A1lim (refill)', resolveModel('const')],
  ['R-hlr-dev A2lim, reservoir', resolveModel('hlr-dev', { actions: 'A2lim' })],
  ['R-ahp A2lim, N = 40 (truncation)', resolveModel('ahp', { actions: 'A2lim', maxEvents: 40 })],
  ['R-const A2lim-16', resolveModel('const', { actions: 'A2lim16' })],
];
const EPISODES = 200;
const SEED = 3;

describe('MarketMakingEnv reproduces the simulator', () => {
  let module: WebAssembly.Module;
  beforeAll(async () => {
    module = await compileKernels('release');
  });

  it.each(MODELS)('%s: every baseline, episode by episode', (_name, model) => {
    const base = streamBase('lob/evaluate', SEED);
    for (const name of POLICY_NAMES) {
      const sim = runEpisodes(
        { model, policy: builtinPolicy(name), study: 'test', run: SEED, base, from: 0, to: EPISODES },
        'wasm',
        module,
      );
      const env = new MarketMakingEnv(model);
      const records = new Float64Array(EPISODES * OUT_STRIDE);
      let truncations = 0;
      for (let e = 0; e < EPISODES; e++) {
        env.reset(e === 0 ? { seed: SEED } : {});
        let ret = 0;
        for (;;) {
          const r = env.step(env.baselineAction(name));
          ret += r.reward;
          if (r.terminated || r.truncated) {
            const stats = r.info.episode;
            if (!stats) throw new Error('no episode statistics at the end of an episode');
            records.set(stats.record, e * OUT_STRIDE);
            expect(ret).toBe(stats.record[O_REWARD]);
            if (r.truncated) truncations++;
            break;
          }
        }
      }
      expect({ name, records: Array.from(records) }).toEqual({ name, records: Array.from(sim) });
      if (model.maxEvents === 40 && name === '11') expect(truncations).toBeGreaterThan(0);
    }
  });

  it('step after the end without reset is an error; an action outside the space is an error', () => {
    const env = new MarketMakingEnv(resolveModel('const'));
    env.reset({ seed: 1 });
    expect(() => env.step(4)).toThrow(/action 4 is outside the action space Discrete\(4\)/);
    expect(() => env.step(1.5)).toThrow(/action 1.5/);
    for (;;) {
      const r = env.step(3);
      if (r.terminated || r.truncated) break;
    }
    expect(() => env.step(3)).toThrow(/call reset\(\) first/);
  });
});
