/**
 * Persistent excitation (spec §5 E9): recursive least squares on the plant x_{t+1} = a·x_t + b·u_t + w_t
 * under certainty-equivalence deadbeat control u_t = −(â_t/b̂_t)·x_t + d_t with a fair-coin dither
 * d_t = ±δ. Without dither the regressors (x_t, u_t) are collinear and the estimate stays wrong; the
 * dither restores identifiability at the price E[x²] = σ_w² + b²δ².
 *
 * Per step the stream gives one word for the dither sign and one for the noise sign (top bit), in
 * that order, drawn even when δ = 0 so both arms share the noise path of a seed.
 */
import { nextWord, OUT_HI, streamFromKey } from '../baseline/rng.js';

export interface RlsParams {
  readonly a: number;
  readonly b: number;
  /** |w_t| (fair coin sign). */
  readonly noise: number;
  readonly x0: number;
  /** Initial estimate (â, b̂) and P_0 = p0·I. */
  readonly theta0: readonly [number, number];
  readonly p0: number;
  readonly dither: number;
}

export const E9_DEFAULTS: RlsParams = {
  a: 1.1,
  b: 0.6,
  noise: 0.05,
  x0: 1,
  theta0: [2.2, 1.2],
  p0: 100,
  dither: 0,
};

export interface RlsCheckpoint {
  readonly T: number;
  /** ‖θ̂ − θ‖ after T steps. */
  readonly error: number;
  /** λ_min(Σ_{t<T} φ_t φ_tᵀ)/T. */
  readonly lambdaMinPerT: number;
  /** (1/T) Σ_{t<T} x_{t+1}². */
  readonly meanSquare: number;
  readonly theta: [number, number];
}

/** One seed's run, with statistics at each T of `checkpoints` (increasing). */
export function runRls(p: RlsParams, key: bigint, checkpoints: readonly number[]): RlsCheckpoint[] {
  const st = streamFromKey(key);
  let [ah, bh] = p.theta0;
  // P (symmetric 2×2) and the information matrix Σφφᵀ
  let p11 = p.p0,
    p12 = 0,
    p22 = p.p0;
  let s11 = 0,
    s12 = 0,
    s22 = 0;
  let x = p.x0;
  let sq = 0;
  const out: RlsCheckpoint[] = [];
  let next = 0;
  const Tmax = checkpoints.at(-1) ?? 0;
  for (let t = 0; t < Tmax; t++) {
    nextWord(st);
    const d = (st[OUT_HI] as number) < 0 ? -p.dither : p.dither;
    nextWord(st);
    const w = (st[OUT_HI] as number) < 0 ? -p.noise : p.noise;
    const u = -(ah / bh) * x + d;
    const xn = p.a * x + p.b * u + w;
    // RLS: K = Pφ/(1 + φᵀPφ); θ̂ += K(y − φᵀθ̂); P −= K φᵀP
    const f1 = x,
      f2 = u;
    const pf1 = p11 * f1 + p12 * f2,
      pf2 = p12 * f1 + p22 * f2;
    const den = 1 + f1 * pf1 + f2 * pf2;
    const k1 = pf1 / den,
      k2 = pf2 / den;
    const err = xn - (f1 * ah + f2 * bh);
    ah += k1 * err;
    bh += k2 * err;
    p11 -= k1 * pf1;
    p12 -= k1 * pf2;
    p22 -= k2 * pf2;
    s11 += f1 * f1;
    s12 += f1 * f2;
    s22 += f2 * f2;
    sq += xn * xn;
    x = xn;
    if (t + 1 === checkpoints[next]) {
      const T = t + 1;
      const tr = s11 + s22;
      const det = s11 * s22 - s12 * s12;
      // smaller eigenvalue in the cancellation-free form det/λ_max
      const lmax = tr / 2 + Math.sqrt((tr * tr) / 4 - det);
      out.push({
        T,
        error: Math.hypot(ah - p.a, bh - p.b),
        lambdaMinPerT: lmax > 0 ? det / lmax / T : 0,
        meanSquare: sq / T,
        theta: [ah, bh],
      });
      next++;
    }
  }
  return out;
}
