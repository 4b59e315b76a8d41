// LqDiffusionEnv under a fixed Gaussian policy N(φ₁x, φ₂): the Monte-Carlo mean return matches the
// closed-form ĵ(φ₁, φ₂) (src/lq/oracle.ts) within 3 standard errors, and the summed per-step regret
// contributions match ĵ(φ₁*, 0) − ĵ(φ₁, φ₂) within 3 SE. Fixed seeds; 20,000 episodes of the default
// model (dt = 0.01). The Euler bias of the mean return, computed exactly by the discrete second-moment
// recursion below, is 0.0029 here against an SE of about 0.006.
import { describe, expect, it } from 'vitest';
import { nextNormal, streamFromKey } from '../../src/baseline/rng.js';
import { LqDiffusionEnv } from '../../src/lq/env.js';
import { optimalValue, policyValue } from '../../src/lq/oracle.js';
import { zigguratTables } from '../../src/rng/ziggurat.js';

const PHI1 = -1.5;
const PHI2 = 0.3;
const EPISODES = 20_000;

describe('LqDiffusionEnv', () => {
  it('Gaussian policy: mean return ≈ ĵ and mean summed regret ≈ ĵ* − ĵ, within 3 SE', () => {
    const env = new LqDiffusionEnv();
    const m = env.model;
    const policyNoise = streamFromKey(20260101n);
    const z = zigguratTables();
    const sd = Math.sqrt(PHI2);
    const ret = new Float64Array(EPISODES);
    const reg = new Float64Array(EPISODES);
    for (let e = 0; e < EPISODES; e++) {
      let { observation } = env.reset(e === 0 ? { seed: 11 } : {});
      for (;;) {
        const r = env.step(PHI1 * observation.x + sd * nextNormal(policyNoise, z));
        observation = r.observation;
        if (r.terminated) {
          ret[e] = r.info.episode?.return as number;
          reg[e] = r.info.episode?.regret as number;
          break;
        }
      }
    }
    const meanSe = (v: Float64Array) => {
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const varc = v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1);
      return { mean, se: Math.sqrt(varc / v.length) };
    };
    const j = policyValue(m, PHI1, PHI2);
    const r = meanSe(ret);
    expect(Math.abs(r.mean - j)).toBeLessThan(3 * r.se);
    const g = meanSe(reg);
    expect(Math.abs(g.mean - (optimalValue(m) - j))).toBeLessThan(3 * g.se);

    // The Euler bias is small against the SE, so the comparison above tests the environment, not dt.
    let mom = m.x0 * m.x0;
    let euler = 0;
    const a1 = m.A + m.B * PHI1,
      b = m.C + m.D * PHI1;
    for (let k = 0; k < env.steps; k++) {
      euler += -0.5 * m.Q * mom * m.dt;
      mom =
        mom * (1 + a1 * m.dt) ** 2 + m.B * m.B * PHI2 * m.dt * m.dt + (b * b * mom + m.D * m.D * PHI2) * m.dt;
    }
    euler += -0.5 * m.H * mom;
    expect(Math.abs(euler - j)).toBeLessThan(r.se);
  });

  it('info.optimalAction is φ₁*·x; a non-finite action and a step after the end are errors', () => {
    const env = new LqDiffusionEnv({ B: 2 });
    const { observation, info } = env.reset({ seed: 1 });
    expect(info.optimalAction).toBe((-(2 + 1) / 1) * observation.x);
    expect(() => env.step(Number.NaN)).toThrow(/action NaN is outside the action space/);
    for (let k = 0; k < env.steps; k++) env.step(0);
    expect(() => env.step(0)).toThrow(/call reset\(\) first/);
  });

  it('refuses an invalid model, naming the field', () => {
    expect(() => new LqDiffusionEnv({ D: 0 })).toThrow(/^D: must be non-zero/);
    expect(() => new LqDiffusionEnv({ dt: 0.3 })).toThrow(/^dt: T \/ dt must be a whole number/);
    expect(() => new LqDiffusionEnv({ E: 1 } as never)).toThrow(/Unrecognized key/);
  });
});
