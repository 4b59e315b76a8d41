/**
 * The LQ study is configurable: the schema's defaults are the paper's study, and φ₁*, ĵ and regret
 * follow the configured model (spec §1 and §5's general formulas, checked against independent
 * computations), and a sweep's run at the default config draws the same streams as `quantrl lq`.
 */
import { describe, expect, it } from 'vitest';
import { compileKernels } from '../../src/kernels/wasm.js';
import { LQ_STUDY_DEFAULTS, lqStudySchema } from '../../src/lq/config-schema.js';
import { runModelFreeSeed } from '../../src/lq/engines.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_BASED, DEFAULT_MODEL_FREE, type LqModel } from '../../src/lq/model.js';
import { optimalGain, optimalValue, policyValue } from '../../src/lq/oracle.js';
import { modelFreeSchedule } from '../../src/lq/schedules.js';
import { lqSweepStudy } from '../../src/lq/sweep.js';
import { streamKey } from '../../src/rng/streams.js';

const model: LqModel = { A: -0.5, B: 0.7, C: 0.3, D: 1.5, Q: 2, H: 0.5, x0: 1.3, T: 2, dt: 0.01 };

/** ĵ by RK4 on the system m' = a·m + D²φ₂, c' = m (running cost alongside): independent of the closed form. */
function valueByOde(m: LqModel, phi1: number, phi2: number): number {
  const a = 2 * m.A + m.C ** 2 + 2 * (m.B + m.C * m.D) * phi1 + m.D ** 2 * phi1 ** 2;
  const f = (y: number) => a * y + m.D ** 2 * phi2;
  const n = 20_000;
  const h = m.T / n;
  let y = m.x0 ** 2;
  let cost = 0;
  for (let i = 0; i < n; i++) {
    const k1 = f(y);
    const y2 = y + (h / 2) * k1;
    const k2 = f(y2);
    const y3 = y + (h / 2) * k2;
    const k3 = f(y3);
    const y4 = y + h * k3;
    const k4 = f(y4);
    cost += (h / 6) * (y + 2 * y2 + 2 * y3 + y4); // the c-component of the same RK4 step
    y += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  return -0.5 * m.Q * cost - 0.5 * m.H * y;
}

describe('LQ config schema', () => {
  it('defaults to the paper’s study', () => {
    expect(LQ_STUDY_DEFAULTS.model).toEqual(DEFAULT_MODEL);
    expect(LQ_STUDY_DEFAULTS.modelFree).toEqual(DEFAULT_MODEL_FREE);
    expect({
      ...LQ_STUDY_DEFAULTS.modelBased,
      warmStart: [...LQ_STUDY_DEFAULTS.modelBased.warmStart],
    }).toEqual({
      ...DEFAULT_MODEL_BASED,
      warmStart: [...DEFAULT_MODEL_BASED.warmStart],
    });
    expect(LQ_STUDY_DEFAULTS.iterations).toBe(200_000);
  });

  it('refuses configs the formulas cannot serve, naming the field', () => {
    const issues = (input: unknown) =>
      lqStudySchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues({ model: { D: 0 } })[0]).toMatch(/^model\.D: must be nonzero/);
    expect(issues({ model: { T: 1, dt: 0.3 } })[0]).toMatch(/^model\.dt: T\/dt/);
    expect(issues({ model: { H: -1 } })[0]).toMatch(/^model\.H: must be ≥ 0/);
    expect(issues({ modelFree: { phiLo: 0, phiHi: -1 } })[0]).toMatch(/^modelFree\.phiLo: must be ≤/);
    expect(issues({ modelBased: { warmStart: [1, 1, 1, 0] } })[0]).toMatch(/^modelBased\.warmStart\.3: /);
    expect(issues({ modelFree: { lrScal: 1 } })[0]).toMatch(/lrScal/);
  });
});

describe('closed forms for a configured model', () => {
  it('ĵ equals an RK4 integration of the moment ODE (relative 1e-9)', () => {
    for (const [phi1, phi2] of [
      [-1.2, 0.3],
      [optimalGain(model), 0],
      [-0.1, 2],
    ] as const) {
      const closed = policyValue(model, phi1, phi2);
      expect(Math.abs(closed - valueByOde(model, phi1, phi2)) / Math.abs(closed)).toBeLessThan(1e-9);
    }
  });

  it('φ₁* = −(B + CD)/D² maximises ĵ(·, 0), and ĵ(φ₁*, 0) is the Riccati value −½k(0)x₀²', () => {
    const star = optimalGain(model);
    const h = 1e-4;
    const slope = (policyValue(model, star + h, 0) - policyValue(model, star - h, 0)) / (2 * h);
    expect(Math.abs(slope)).toBeLessThan(1e-7);
    for (const d of [-0.3, -0.01, 0.01, 0.3])
      expect(policyValue(model, star + d, 0)).toBeLessThan(optimalValue(model));
    // spec §1: k(t) = Q/Δ + (H − Q/Δ)e^{−Δ(T−t)}, Δ = (B+CD)²/D² − 2A − C²
    const delta = (model.B + model.C * model.D) ** 2 / model.D ** 2 - 2 * model.A - model.C ** 2;
    const k0 = model.Q / delta + (model.H - model.Q / delta) * Math.exp(-delta * model.T);
    expect(optimalValue(model)).toBeCloseTo(-0.5 * k0 * model.x0 ** 2, 12);
  });
});

describe('the LQ study in a sweep', () => {
  it('draws seed i from the same stream as `quantrl lq` at the default config', async () => {
    const module = await compileKernels('release');
    const config = lqStudySchema.parse({ iterations: 400, engine: 'wasm', fitWindow: { from: 10, to: 400 } });
    const seeds = [1, 2, 3].map((seed) => ({ seed, key: streamKey('lq-actor-critic', 0, seed) }));
    const rows = lqSweepStudy.runSeeds(config, seeds, { module, progress: () => {} }, 0);
    const names = lqSweepStudy.metrics(config).map((m) => m.name);
    const final = names.indexOf('phi1_final');
    const schedule = modelFreeSchedule(DEFAULT_MODEL, DEFAULT_MODEL_FREE, 400);
    for (const [i, s] of seeds.entries()) {
      const direct = runModelFreeSeed(
        { model: DEFAULT_MODEL, settings: DEFAULT_MODEL_FREE, iterations: 400, schedule, key: s.key },
        'wasm',
        module,
      );
      expect(rows[i]?.[final]).toBe(direct.phi1[400]);
    }
    // the SIMD pair path and the JS twin give the same row bits
    for (const engine of ['wasm-simd', 'js'] as const)
      expect(lqSweepStudy.runSeeds({ ...config, engine }, seeds, { module, progress: () => {} }, 0)).toEqual(
        rows,
      );
  });
});
