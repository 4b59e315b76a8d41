/**
 * The order-book model of spec §1 and §5.1: a zod schema with the spec's defaults per regime
 * (R-const, R-hlr, R-hlr-dev, R-ahp), the HLR curves digitised as in §1.3.1 (the hlr regimes'
 * defaults), and validation that names the offending field.
 */

import { z } from 'zod';
import { UsageError } from '../errors.js';
import { formatIssues } from '../flags.js';
import { KMAX } from './layout.js';

export const REGIMES = ['const', 'hlr', 'hlr-dev', 'ahp'] as const;
export type Regime = (typeof REGIMES)[number];

// ---------------------------------------------------------------------------------------------------
// HLR Model I curves digitised from AHP Fig. 2 (spec §1.3.1), events per HLR second.
// ---------------------------------------------------------------------------------------------------
export const HLR_Q = [0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 35, 40, 45, 50] as const;
export const HLR_TABLES = {
  L: [
    [0.27, 0.62, 0.57, 0.57, 0.58, 0.58, 0.6, 0.64, 0.67, 0.7, 0.73, 0.75, 0.74, 0.71, 0.7, 0.66, 0.68, 0.72],
    [
      2.83, 1.28, 0.92, 0.85, 0.8, 0.75, 0.72, 0.66, 0.62, 0.58, 0.53, 0.47, 0.45, 0.44, 0.45, 0.48, 0.52,
      0.55,
    ],
    [
      3.12, 0.95, 0.66, 0.55, 0.49, 0.46, 0.46, 0.46, 0.46, 0.44, 0.42, 0.42, 0.44, 0.48, 0.52, 0.56, 0.58,
      0.58,
    ],
  ],
  C: [
    [0, 0.23, 0.39, 0.46, 0.5, 0.54, 0.58, 0.66, 0.71, 0.77, 0.81, 0.85, 0.85, 0.83, 0.79, 0.77, 0.72, 0.7],
    [0, 0.44, 0.51, 0.56, 0.58, 0.59, 0.6, 0.6, 0.59, 0.58, 0.56, 0.55, 0.55, 0.54, 0.56, 0.6, 0.6, 0.6],
    [0, 0.5, 0.28, 0.3, 0.32, 0.33, 0.35, 0.37, 0.38, 0.39, 0.4, 0.44, 0.48, 0.53, 0.55, 0.58, 0.6, 0.6],
  ],
  M: [
    [
      0, 0.247, 0.194, 0.151, 0.121, 0.104, 0.094, 0.083, 0.077, 0.074, 0.072, 0.072, 0.074, 0.078, 0.082,
      0.09, 0.095, 0.1,
    ],
    [
      0, 0.022, 0.011, 0.006, 0.004, 0.003, 0.003, 0.003, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002,
      0.002, 0.002, 0.002,
    ],
    [0, 0.006, 0.002, 0.001, 0.001, 0.001, 0.001, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  ],
};

// ---------------------------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------------------------
const nonNegative = z.number().finite().nonnegative();
const curveTable = z.array(z.array(nonNegative).min(1)).min(1);

const intensities = z.discriminatedUnion('family', [
  z.object({
    family: z.literal('constant'),
    /** Insertion rate per level and side. */
    lambdaL: nonNegative.default(2),
    /** Per-unit cancellation rate θ. */
    theta: nonNegative.default(0.5),
    /** Market-order rate per side (before the trend). */
    lambdaM: nonNegative.default(5),
  }),
  z.object({
    family: z.literal('hlr'),
    /** Queue sizes at which the curves are given (strictly increasing, from 0). */
    q: z
      .array(z.number().int().nonnegative())
      .min(2)
      .default([...HLR_Q]),
    /** Per level 1..3: insertion f^L, whole-queue cancellation f^C, market f^M, one value per q. */
    L: curveTable.default(HLR_TABLES.L),
    C: curveTable.default(HLR_TABLES.C),
    M: curveTable.default(HLR_TABLES.M),
  }),
  z.object({
    family: z.literal('ahp'),
    /** Base market rate per side; the posted 4 / 2 is 3 with trend κ = 1/3. */
    lambdaM: nonNegative.default(3),
  }),
]);

const initial = z.object({
  pb: z.number().int().default(100),
  spread: z.number().int().min(1).default(1),
  /** Others' units at ask/bid frame levels 1..K; default: a∞ (b∞) at every level. */
  a: z.array(z.number().int().nonnegative()).optional(),
  b: z.array(z.number().int().nonnegative()).optional(),
  /** Rank of an MM order at the best ask / best bid at time 0 (0 = none). */
  mmAskRank: z.number().int().nonnegative().default(0),
  mmBidRank: z.number().int().nonnegative().default(0),
});

export const lobModelSchema = z.object({
  regime: z.enum(REGIMES),
  K: z.number().int().min(1).max(KMAX),
  boundary: z.enum(['reservoir', 'refill']),
  aInf: z.number().int().min(1),
  bInf: z.number().int().min(1),
  T: z.number().finite().positive(),
  /** Trend κ: λ^{M+}·(1 + κ), λ^{M−}·(1 − κ). */
  trend: z.number().finite().gt(-1).lt(1),
  /** Time scale c multiplying every intensity. */
  timeScale: z.number().finite().positive(),
  intensities,
  cancelRule: z.enum(['uniform', 'behind', 'ahead']).default('uniform'),
  intensityCountsMM: z.boolean().default(false),
  /** A1lim (4 actions), A2lim (9, one order per side), A2lim16 (16, up to L1 + L2 per side). */
  actions: z.enum(['A1lim', 'A2lim', 'A2lim16']).default('A1lim'),
  /** A2lim's L2: the others' next non-empty level behind their best, or one tick behind it. */
  l2: z.enum(['next_nonempty', 'one_tick']).default('next_nonempty'),
  /** The authors' pegging: an improved-upon L1 order moves to the new best at rank 2 (§1.4 option). */
  peg: z.boolean().default(false),
  liquidation: z.enum(['walk', 'walk_plus_one_tick']).default('walk'),
  eta: nonNegative.default(0),
  /** N: an episode stops and closes out at its N-th event. */
  maxEvents: z.number().int().positive().default(10_000_000),
  initial: initial.default({ pb: 100, spread: 1, mmAskRank: 0, mmBidRank: 0 }),
});

export type LobModel = z.output<typeof lobModelSchema>;
export type LobModelInput = z.input<typeof lobModelSchema>;

/** The spec's defaults of a regime (§5.1). */
export function regimeDefaults(regime: Regime): LobModelInput {
  switch (regime) {
    case 'const':
      return {
        regime,
        K: 3,
        boundary: 'refill',
        aInf: 2,
        bInf: 2,
        T: 1,
        trend: 0,
        timeScale: 1,
        intensities: { family: 'constant', lambdaL: 2, theta: 0.5, lambdaM: 5 },
      };
    case 'hlr':
    case 'hlr-dev':
      return {
        regime,
        K: 3,
        boundary: 'reservoir',
        aInf: 3,
        bInf: 3,
        T: 1,
        trend: 0,
        timeScale: regime === 'hlr' ? 30 : 10,
        intensities: { family: 'hlr' },
      };
    case 'ahp':
      return {
        regime,
        K: 2,
        boundary: 'reservoir',
        aInf: 5,
        bInf: 5,
        T: 8,
        trend: 1 / 3,
        timeScale: 1,
        intensities: { family: 'ahp', lambdaM: 3 },
        maxEvents: 160,
        initial: { pb: 100, spread: 1, a: [1, 1], b: [1, 1], mmAskRank: 1, mmBidRank: 1 },
      };
  }
}

/**
 * Validates a model: the regime's defaults overlaid with `overrides`. Throws UsageError naming the
 * field (`T: must be > 0`, `intensities.L.1.0: must be ≥ 0`, …).
 */
export function resolveModel(regime: string, overrides: Partial<LobModelInput> = {}): LobModel {
  if (!(REGIMES as readonly string[]).includes(regime)) {
    throw new UsageError(`regime: unknown regime '${regime}' (expected ${REGIMES.join(', ')})`);
  }
  const base = regimeDefaults(regime as Regime);
  const input = { ...base, ...overrides, regime };
  const parsed = lobModelSchema.safeParse(input);
  if (!parsed.success) {
    throw new UsageError(formatIssues(parsed.error.issues.slice(0, 1)));
  }
  const m = parsed.data;
  checkConsistency(m);
  return m;
}

function checkConsistency(m: LobModel): void {
  const f = m.intensities;
  if (f.family === 'hlr') {
    if (m.K > 3) throw new UsageError('K: the HLR tables have 3 levels (K ≤ 3)');
    if (f.q[0] !== 0) throw new UsageError('intensities.q.0: the curves must start at q = 0');
    for (let i = 1; i < f.q.length; i++) {
      if ((f.q[i] as number) <= (f.q[i - 1] as number)) {
        throw new UsageError(`intensities.q.${i}: queue sizes must be strictly increasing`);
      }
    }
    for (const name of ['L', 'C', 'M'] as const) {
      const rows = f[name];
      if (rows.length < m.K) throw new UsageError(`intensities.${name}: needs a curve per level 1..${m.K}`);
      rows.forEach((row, i) => {
        if (row.length !== f.q.length) {
          throw new UsageError(`intensities.${name}.${i}: needs ${f.q.length} values (one per q)`);
        }
      });
    }
  }
  if (f.family === 'ahp' && m.K !== 2) throw new UsageError('K: the R-ahp tables are defined for K = 2');
  const init = m.initial;
  for (const side of ['a', 'b'] as const) {
    const q = init[side];
    if (q && q.length !== m.K) throw new UsageError(`initial.${side}: needs K = ${m.K} levels`);
  }
  if (init.spread > m.K) throw new UsageError(`initial.spread: must be ≤ K = ${m.K}`);
  const a = init.a ?? Array.from({ length: m.K }, (_, i) => (i + 1 >= init.spread ? m.aInf : 0));
  const b = init.b ?? Array.from({ length: m.K }, (_, i) => (i + 1 >= init.spread ? m.bInf : 0));
  for (let i = 1; i < init.spread; i++) {
    if (a[i - 1] !== 0) throw new UsageError(`initial.a.${i - 1}: levels inside the spread must be empty`);
    if (b[i - 1] !== 0) throw new UsageError(`initial.b.${i - 1}: levels inside the spread must be empty`);
  }
  const s = init.spread;
  if (init.mmAskRank > (a[s - 1] as number) + 1)
    throw new UsageError('initial.mmAskRank: beyond the back of the queue');
  if (init.mmBidRank > (b[s - 1] as number) + 1)
    throw new UsageError('initial.mmBidRank: beyond the back of the queue');
  if ((a[s - 1] as number) + (init.mmAskRank > 0 ? 1 : 0) === 0) {
    throw new UsageError('initial.a: the best ask level (= spread) must hold a unit');
  }
  if ((b[s - 1] as number) + (init.mmBidRank > 0 ? 1 : 0) === 0) {
    throw new UsageError('initial.b: the best bid level (= spread) must hold a unit');
  }
}
