import { describe, expect, it } from 'vitest';
import { lqModelFreeFixedNoise as twinFixedNoise } from '../../src/baseline/lq.js';
import { lqExports, writeLqParams } from '../../src/kernels/lq.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_FREE } from '../../src/lq/model.js';
import { modelFreeSchedule } from '../../src/lq/schedules.js';
import { BUILDS, instance } from '../support/builds.js';

// Spec §6 RNG-free vector: ξ_k = sin(k+1), η_k = cos(k+1). It pins the 99-term rule (a 100-term sum
// gives Γ = −0.62445706569923443 instead). Tolerance 1e-12 relative.
const STEPS = 100;
const noise = new Float64Array(2 * STEPS);
for (let k = 0; k < STEPS; k++) {
  noise[2 * k] = Math.sin(k + 1);
  noise[2 * k + 1] = Math.cos(k + 1);
}
const sched = modelFreeSchedule(DEFAULT_MODEL, DEFAULT_MODEL_FREE, 2);
const CASES = [
  { n: 1, phi1: -0.5, grad: -0.60219252248581456, next: -0.53010962612429069, xT: 1.4470151815316401 },
  { n: 2, phi1: -1.3, grad: -0.44299035424956473, next: -1.3131701820287791, xT: Number.NaN },
];
const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe.each(BUILDS)('model-free update on fixed noise (%s build)', (build) => {
  it.each(CASES)('iteration $n from φ₁ = $phi1', async ({ n, phi1, grad, next, xT }) => {
    const k = await instance(build);
    const prm = k.allocF64(k.constant('LQ_PARAM_SLOTS'));
    const sp = k.allocF64(sched.length);
    const np = k.allocF64(noise.length);
    writeLqParams(k, prm, DEFAULT_MODEL, DEFAULT_MODEL_FREE);
    k.f64(sp, sched.length).set(sched);
    k.f64(np, noise.length).set(noise);
    const ex = lqExports(k);
    const updated = ex.lqModelFreeFixedNoise(prm, sp, np, STEPS, n, phi1);
    expect(rel(ex.lastGrad.value as number, grad)).toBeLessThanOrEqual(1e-12);
    expect(rel(updated, next)).toBeLessThanOrEqual(1e-12);
    if (!Number.isNaN(xT)) expect(rel(ex.lastState.value as number, xT)).toBeLessThanOrEqual(1e-12);
  });
});

describe('model-free update on fixed noise (TS twin)', () => {
  it.each(CASES)('iteration $n from φ₁ = $phi1', ({ n, phi1, grad, next, xT }) => {
    const r = twinFixedNoise(DEFAULT_MODEL, DEFAULT_MODEL_FREE, sched, noise, STEPS, n, phi1);
    expect(rel(r.grad, grad)).toBeLessThanOrEqual(1e-12);
    expect(rel(r.phi1, next)).toBeLessThanOrEqual(1e-12);
    if (!Number.isNaN(xT)) expect(rel(r.xT, xT)).toBeLessThanOrEqual(1e-12);
  });
});
