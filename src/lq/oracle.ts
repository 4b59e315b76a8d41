/**
 * Closed forms of spec §1 and §5: the optimal gain, the value of a Gaussian policy ĵ(φ₁, φ₂) in the
 * expm1-stable form, and regret. Pure functions of the model; used by drivers, reports and tests.
 */
import type { LqModel } from './model.js';

/** φ₁* = −(B + C·D)/D². */
export function optimalGain(m: LqModel): number {
  return -(m.B + m.C * m.D) / (m.D * m.D);
}

/** Δ = (B + C·D)²/D² − 2A − C², the decay rate of the Riccati solution k(t). */
export function riccatiRate(m: LqModel): number {
  const b = m.B + m.C * m.D;
  return (b * b) / (m.D * m.D) - 2 * m.A - m.C * m.C;
}

/** Growth rate of E[X²] under u = φ₁x: a(φ₁) = 2A + C² + 2(B + CD)φ₁ + D²φ₁². */
export function momentRate(m: LqModel, phi1: number): number {
  return 2 * m.A + m.C * m.C + 2 * (m.B + m.C * m.D) * phi1 + m.D * m.D * phi1 * phi1;
}

const TAYLOR_BELOW = 0.1;
const TAYLOR_TERMS = 14;

/** E₁(z) = expm1(z)/z and E₂(z) = (expm1(z) − z)/z², by Taylor series near 0. */
export function expm1Ratios(z: number): { e1: number; e2: number } {
  if (Math.abs(z) < TAYLOR_BELOW) {
    // Horner on Σ z^k/(k+1)! and Σ z^k/(k+2)!, highest term first.
    let e1 = 0;
    let e2 = 0;
    for (let k = TAYLOR_TERMS; k >= 0; k--) {
      e1 = e1 * z + 1 / factorial(k + 1);
      e2 = e2 * z + 1 / factorial(k + 2);
    }
    return { e1, e2 };
  }
  const em1 = Math.expm1(z);
  return { e1: em1 / z, e2: (em1 - z) / (z * z) };
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/** ĵ = f(φ₁) + φ₂·g(φ₁): the objective (without entropy) of the policy N(φ₁x, φ₂). */
export function policyValueParts(m: LqModel, phi1: number): { f: number; g: number } {
  const z = momentRate(m, phi1) * m.T;
  const { e1, e2 } = expm1Ratios(z);
  const f = -0.5 * m.x0 * m.x0 * (m.Q * m.T * e1 + m.H * Math.exp(z));
  const g = -0.5 * m.D * m.D * (m.Q * m.T * m.T * e2 + m.H * m.T * e1);
  return { f, g };
}

/** ĵ(φ₁, φ₂). */
export function policyValue(m: LqModel, phi1: number, phi2: number): number {
  const { f, g } = policyValueParts(m, phi1);
  return f + phi2 * g;
}

/** V(0, x₀) = ĵ(φ₁*, 0), the optimal value. */
export function optimalValue(m: LqModel): number {
  return policyValue(m, optimalGain(m), 0);
}

/** Regret of one episode run with N(φ₁x, φ₂): ĵ(φ₁*, 0) − ĵ(φ₁, φ₂) ≥ 0. */
export function episodeRegret(m: LqModel, phi1: number, phi2: number, optimum = optimalValue(m)): number {
  return optimum - policyValue(m, phi1, phi2);
}

/**
 * Cumulative regret curve R_k = Σ_{i≤k} [ĵ(φ₁*,0) − ĵ(phi1[i], phi2[i])] (spec §5's normative pairing
 * when phi2[0] is the initial exploration and phi2[i] = φ₂,ᵢ). Writes into `out`, returns it.
 */
export function cumulativeRegret(
  m: LqModel,
  phi1: Float64Array,
  phi2: Float64Array,
  out: Float64Array<ArrayBufferLike> = new Float64Array(phi1.length),
): Float64Array<ArrayBufferLike> {
  const optimum = optimalValue(m);
  let sum = 0;
  for (let i = 0; i < phi1.length; i++) {
    sum += episodeRegret(m, phi1[i] as number, phi2[i] as number, optimum);
    out[i] = sum;
  }
  return out;
}
