import { describe, expect, it } from 'vitest';
import { nextWord, OUT_HI, OUT_LO, streamFromKey, unitFromWord } from '../../src/baseline/rng.js';
import type { EnvInput } from '../../src/execution/config.js';
import { parseLearnerConfig } from '../../src/execution/config.js';
import { reachableObs } from '../../src/execution/dp.js';
import { buildMdp, NEXT_I32, REC, recordOffset } from '../../src/execution/env.js';
import { ExecutionEnv } from '../../src/execution/gym.js';
import { schedules } from '../../src/execution/schedules.js';
import { QlKernel } from '../../src/kernels/execution.js';
import { compileKernels, Kernels } from '../../src/kernels/wasm.js';

const CONFIGS: EnvInput[] = [
  { variant: 'impact' },
  { variant: 'order-type' },
  { variant: 'noisy-features', projection: 'full', beta: 2 },
  {
    variant: 'impact',
    q0: 6,
    horizon: 3,
    reward: 'regret',
    noise: { values: [-3, 0, 3], probs: [0.25, 0.5, 0.25] },
  },
];

/** An agent's own random stream: uniform over the feasible prefix. */
function randomAgent(seed: bigint) {
  const st = streamFromKey(seed);
  return (feasible: number) => {
    nextWord(st);
    return Math.floor(unitFromWord(st[OUT_HI] as number, st[OUT_LO] as number) * feasible);
  };
}

describe.each(CONFIGS)('Gymnasium-style API on %o', (config) => {
  it("a random policy through reset/step follows the kernel's transition law", () => {
    const env = new ExecutionEnv(config);
    const m = env.mdp;
    const act = randomAgent(99n);
    // (t, s, a) block → distinct (reward, next) outcomes with their probability and count (several
    // listed outcomes can coincide, e.g. an LO of size 1 fills 1 for every D ≥ 1)
    const cells = new Map<number, Map<string, { p: number; n: number }>>();
    const law = (base: number) => {
      let c = cells.get(base);
      if (!c) {
        c = new Map();
        let prev = 0;
        for (let j = 0; j < m.outcomes; j++) {
          const off = base + j * REC; // outcome j of the block at `base`
          const p = (m.trans[off] as number) - prev;
          prev = m.trans[off] as number;
          if (p <= 0) continue;
          const key = `${m.trans[off + 1]}|${m.transI32[2 * off + NEXT_I32]}`;
          const e = c.get(key) ?? { p: 0, n: 0 };
          e.p += p;
          c.set(key, e);
        }
        cells.set(base, c);
      }
      return c;
    };
    let steps = 0;
    let outside = 0;
    for (let ep = 0; steps < 60_000; ep++) {
      let { observation, info } = env.reset(ep === 0 ? { seed: 7 } : {});
      for (;;) {
        const a = act(info.feasible);
        const base = recordOffset(m, observation.t, observation.state, a, 0);
        const r = env.step(a);
        steps++;
        const e = law(base).get(`${r.reward}|${r.observation.state}`);
        if (e) e.n++;
        else outside++; // not an outcome of positive probability
        if (r.terminated || r.truncated) break;
        observation = r.observation;
        info = r.info;
      }
    }
    expect(outside).toBe(0);
    // aggregated chi-square over cells with enough samples: stat ≈ df ± √(2 df)
    let stat = 0;
    let df = 0;
    for (const c of cells.values()) {
      const outs = [...c.values()];
      const n = outs.reduce((x, o) => x + o.n, 0);
      if (outs.length < 2 || outs.some((o) => n * o.p < 5)) continue;
      for (const o of outs) stat += (o.n - n * o.p) ** 2 / (n * o.p);
      df += outs.length - 1;
    }
    expect(df).toBeGreaterThan(10);
    expect(stat).toBeLessThan(df + 5 * Math.sqrt(2 * df));
  });

  it('episodes reproduce the WASM evaluation kernel exactly (same seed → same draws)', async () => {
    const m = buildMdp(config);
    const env = new ExecutionEnv(m);
    const kernel = new QlKernel(
      new Kernels(await compileKernels('release')),
      m,
      schedules(parseLearnerConfig({ episodes: 1 })),
      0,
      new Float64Array(m.starts.length),
      reachableObs(m),
    );
    // a fixed state-dependent policy over env states
    const act = randomAgent(5n);
    const policy = Int32Array.from({ length: m.horizon * m.states }, (_, i) =>
      act(Math.max(1, m.feasible[i % m.states] as number)),
    );
    for (let seed = 0; seed < 200; seed++) {
      const [ret, qN] = kernel.evaluate(policy, BigInt(seed), 1);
      let { observation, info } = env.reset({ seed });
      let total = 0;
      while (info.feasible > 0) {
        const r = env.step(policy[observation.t * m.states + observation.state] as number);
        total += r.reward; // γ = 1
        observation = r.observation;
        info = r.info;
        if (r.terminated) break;
      }
      expect(total).toBe(ret);
      expect(observation.q).toBe(qN);
    }
  });
});

describe('Gymnasium-style API contract', () => {
  it('returns the documented shapes and refuses infeasible actions and steps after the end', () => {
    const env = new ExecutionEnv({ variant: 'deterministic', q0: 4, horizon: 2, actions: [0, 1, 2, 3] });
    const { observation, info } = env.reset({ seed: 1 });
    expect(observation).toMatchObject({ t: 0, q: 4, index: 4, state: 4 });
    expect(info.feasible).toBe(4);
    expect(Array.from(info.actionMask)).toEqual([1, 1, 1, 1]);
    expect(() => env.step(7)).toThrow(RangeError);
    const a = env.step(2); // spec §1.1: −k·2² = −4 (φ = 0), 2 lots left
    expect(a).toMatchObject({ reward: -4, terminated: false, truncated: false, observation: { t: 1, q: 2 } });
    expect(Array.from(a.info.actionMask)).toEqual([1, 1, 1, 0]);
    const b = env.step(1);
    // last step: −k·1² − λ_T·1² = −1 − 10
    expect(b).toMatchObject({ reward: -11, terminated: true, truncated: false, observation: { t: 2, q: 1 } });
    expect(() => env.step(0)).toThrow(/reset/);
  });

  it('ends early when the inventory is gone (absorbing)', () => {
    const env = new ExecutionEnv({ variant: 'deterministic', q0: 2, horizon: 5, actions: [0, 1, 2] });
    env.reset({ seed: 0 });
    const r = env.step(2);
    expect(r.terminated).toBe(true);
    expect(r.observation.q).toBe(0);
    expect(r.info.feasible).toBe(0);
  });
});
