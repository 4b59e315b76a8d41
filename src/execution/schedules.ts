/**
 * The learner's schedules (spec §2), computed once on the host and read by both engines: the
 * learning-rate lookup table α_n (so neither engine calls pow in its loop for n < 2²²), the
 * per-episode ε parameters, and the checkpoint episodes.
 */
import type { LearnerConfig } from './config.js';

/** Counts below this use the shared table; above it both engines call pow (not bit-identical then). */
export const LR_TABLE_MAX = 1 << 22;

export const EPS_CONST = 0;
export const EPS_LINEAR = 1;
export const EPS_EXP = 2;

export interface Schedules {
  /** α_n at index n (index 0 unused), n < lr.length. */
  readonly lr: Float64Array;
  /** Beyond the table: α_n = max(alphaMin, n^−ω); ω = 0 means the constant alphaMin. */
  readonly omega: number;
  readonly alphaMin: number;
  readonly epsKind: number;
  readonly eps0: number;
  readonly eps1: number;
  /** f·E of the linear and exp schedules. */
  readonly epsFE: number;
  /** d of the exp schedule. */
  readonly epsDecay: number;
  /** Checkpoint after this many episodes (strictly increasing, last = E). */
  readonly checkpoints: Int32Array;
}

/** α_n = max(α_min, n^−ω) (poly) or α0 (const). */
export function learningRate(alpha: LearnerConfig['alpha'], n: number): number {
  return alpha.kind === 'const' ? alpha.value : Math.max(alpha.min, n ** -alpha.omega);
}

function expDecay(eps: Extract<LearnerConfig['epsilon'], { kind: 'exp' }>, E: number): number {
  if (eps.decay !== undefined) return eps.decay;
  if (eps.start === 0 || eps.end === 0) return eps.start === 0 ? 1 : 0;
  return (eps.end / eps.start) ** (1 / (eps.fraction * E));
}

/** Checkpoint episodes ⌈E·c/n⌉, c = 1…n, deduplicated. */
export function checkpointEpisodes(E: number, n: number): Int32Array {
  const set = new Set<number>();
  for (let c = 1; c <= n; c++) set.add(Math.ceil((E * c) / n));
  return Int32Array.from([...set].sort((a, b) => a - b));
}

export function schedules(l: LearnerConfig): Schedules {
  const E = l.episodes;
  const lr = new Float64Array(Math.min(E, LR_TABLE_MAX) + 1);
  for (let n = 1; n < lr.length; n++) lr[n] = learningRate(l.alpha, n);
  const eps = l.epsilon;
  const kind = eps.kind === 'const' ? EPS_CONST : eps.kind === 'linear' ? EPS_LINEAR : EPS_EXP;
  return {
    lr,
    omega: l.alpha.kind === 'const' ? 0 : l.alpha.omega,
    alphaMin: l.alpha.kind === 'const' ? l.alpha.value : l.alpha.min,
    epsKind: kind,
    eps0: eps.kind === 'const' ? eps.value : eps.start,
    eps1: eps.kind === 'const' ? eps.value : eps.end,
    epsFE: eps.kind === 'const' ? 1 : eps.fraction * E,
    epsDecay: eps.kind === 'exp' ? expDecay(eps, E) : 1,
    checkpoints: checkpointEpisodes(E, l.checkpoints),
  };
}
