/** The scalar LQ problem and the actor–critic settings of spec §1–§3, with the paper's defaults. */

export interface LqModel {
  readonly A: number;
  readonly B: number;
  readonly C: number;
  readonly D: number;
  readonly Q: number;
  readonly H: number;
  readonly x0: number;
  readonly T: number;
  readonly dt: number;
}

export const DEFAULT_MODEL: LqModel = { A: 1, B: 1, C: 1, D: 1, Q: 1, H: 1, x0: 1, T: 1, dt: 0.01 };

/** Model-free actor–critic settings (Algorithm 1): schedules, projection, frozen critic. */
export interface ModelFreeSettings {
  /** φ₁ before the first update. */
  readonly phi1Init: number;
  /** aₙ = lrScale · n^(−lrPower) (computed as (1/n^p)·scale, the reference's order). */
  readonly lrScale: number;
  readonly lrPower: number;
  /** φ₂,ₙ = exploreScale / max(1, n^explorePower). */
  readonly exploreScale: number;
  readonly explorePower: number;
  /** Entropy temperature γ. */
  readonly gamma: number;
  /** Inclusive projection interval of φ₁. */
  readonly phiLo: number;
  readonly phiHi: number;
  /** Frozen critic J(x) = −½·criticK·x². */
  readonly criticK: number;
}

export const DEFAULT_MODEL_FREE: ModelFreeSettings = {
  phi1Init: -0.5,
  lrScale: 0.05,
  lrPower: 0.75,
  exploreScale: 5,
  explorePower: 0.25,
  gamma: 1,
  phiLo: -2.2,
  phiHi: -0.5,
  criticK: 1,
};

/** Number of Euler steps K = T/dt (must be a whole number). */
export function eulerSteps(m: LqModel): number {
  return Math.round(m.T / m.dt);
}

/** Model-based plug-in settings (Algorithm 2, App. C.1; spec §4). */
export interface ModelBasedSettings {
  /** Starting estimates (Â, B̂, Ĉ, D̂); (−2, −2, −2, −2) gives φ̂₁,₁ = −0.5. */
  readonly warmStart: readonly [number, number, number, number];
  /** Exploration vₙ = exploreScale / n^explorePower (the reference: 5/n). */
  readonly exploreScale: number;
  readonly explorePower: number;
  readonly phiLo: number;
  readonly phiHi: number;
}

export const DEFAULT_MODEL_BASED: ModelBasedSettings = {
  warmStart: [-2, -2, -2, -2],
  exploreScale: 5,
  explorePower: 1,
  phiLo: -2.2,
  phiHi: -0.5,
};
