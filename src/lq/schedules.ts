/**
 * Per-iteration schedules of the model-free actor–critic, computed once on the host and read by both
 * engines (so neither calls pow/log in its loop and both see the same bits).
 * Record layout (stride 4, iteration n = 1..N at index (n−1)·4) matches assembly/lq/params.ts.
 */
import type { LqModel, ModelBasedSettings, ModelFreeSettings } from './model.js';

export const SCHED_LR = 0;
export const SCHED_SD = 1;
export const SCHED_VAR = 2;
export const SCHED_ENT = 3;
export const SCHED_STRIDE = 4;

const HALF_LOG_2PI_E = 0.5 * Math.log(2 * Math.PI * Math.E);

/** Learning rate aₙ, written (1/n^p)·scale as the reference code does. */
export function learningRate(s: ModelFreeSettings, n: number): number {
  return (1 / n ** s.lrPower) * s.lrScale;
}

/** Exploration variance φ₂,ₙ = scale / max(1, n^p); n = 0 gives the initial value `scale`. */
export function explorationVariance(s: ModelFreeSettings, n: number): number {
  return s.exploreScale / Math.max(1, n ** s.explorePower);
}

/** Entropy h of N(·, φ₂): ½·ln φ₂ + ½·ln(2πe). */
export function gaussianEntropy(phi2: number): number {
  return 0.5 * Math.log(phi2) + HALF_LOG_2PI_E;
}

/** Schedule records for n = 1..N. */
export function modelFreeSchedule(m: LqModel, s: ModelFreeSettings, iterations: number): Float64Array {
  const sched = new Float64Array(iterations * SCHED_STRIDE);
  for (let n = 1; n <= iterations; n++) {
    const phi2 = explorationVariance(s, n);
    const rec = (n - 1) * SCHED_STRIDE;
    sched[rec + SCHED_LR] = learningRate(s, n);
    sched[rec + SCHED_SD] = Math.sqrt(phi2);
    sched[rec + SCHED_VAR] = phi2;
    sched[rec + SCHED_ENT] = s.gamma * gaussianEntropy(phi2) * m.dt;
  }
  return sched;
}

/** φ₂ paired with φ₁ after k updates for the regret (spec §5): [φ₂,₀ = scale, φ₂,₁, …, φ₂,N]. */
export function explorationPath(s: ModelFreeSettings, iterations: number): Float64Array {
  const out = new Float64Array(iterations + 1);
  for (let k = 0; k <= iterations; k++) out[k] = explorationVariance(s, k);
  return out;
}

/** Model-based exploration vₙ = scale / n^power, n ≥ 1. */
export function modelBasedExploration(s: ModelBasedSettings, n: number): number {
  return s.explorePower === 1 ? s.exploreScale / n : s.exploreScale / n ** s.explorePower;
}

/** Model-based schedule records [√vₙ, vₙ] for n = 1..N (layout of MB_SCHED_STRIDE). */
export function modelBasedSchedule(s: ModelBasedSettings, iterations: number): Float64Array {
  const sched = new Float64Array(2 * iterations);
  for (let n = 1; n <= iterations; n++) {
    const v = modelBasedExploration(s, n);
    sched[2 * (n - 1)] = Math.sqrt(v);
    sched[2 * (n - 1) + 1] = v;
  }
  return sched;
}

/** vₙ paired with φ̂₁ₙ for the model-based regret: [v₁, …, v_N]. */
export function modelBasedExplorationPath(s: ModelBasedSettings, iterations: number): Float64Array {
  return Float64Array.from({ length: iterations }, (_, i) => modelBasedExploration(s, i + 1));
}
