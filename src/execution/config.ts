/**
 * Validated configs of the execution study (spec §1, §2): one zod schema per environment variant with
 * the spec's defaults, and the learner's settings. Raw objects go in; a typed config or a UsageError
 * naming the field comes out (`noise.probs.1: must be in [0, 1]`). The memory needed by the tables is
 * computed from the config before anything is allocated.
 */
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { formatIssues } from '../flags.js';

// ---------------------------------------------------------------- shared pieces

const positiveInt = (what: string) =>
  z
    .number({ message: `must be a positive integer (${what})` })
    .int({ message: `must be a positive integer (${what})` })
    .min(1, { message: `must be a positive integer (${what})` });
const nonNegative = (what: string) =>
  z
    .number({ message: `must be a finite number ≥ 0 (${what})` })
    .min(0, { message: `must be ≥ 0 (${what})` })
    .finite({ message: `must be finite (${what})` });
const probability = z
  .number({ message: 'must be a probability in [0, 1]' })
  .min(0, { message: 'must be in [0, 1]' })
  .max(1, { message: 'must be in [0, 1]' });
const gammaField = z
  .number({ message: 'must be a discount factor in [0, 1]' })
  .min(0, { message: 'must be in [0, 1]' })
  .max(1, { message: 'must be in [0, 1]' });
const actionGrid = z
  .array(z.number().int({ message: 'must be an integer lot size' }).min(0, { message: 'must be ≥ 0' }), {
    message: 'must be an array of lot sizes',
  })
  .min(1, { message: 'must hold at least the size 0 (wait)' })
  .max(64, { message: 'must hold at most 64 sizes' })
  .refine((g) => g[0] === 0, { message: 'must start with 0 (the wait action)' })
  .refine((g) => g.every((v, i) => i === 0 || v > (g[i - 1] as number)), {
    message: 'must be sorted strictly increasing',
  });

/** A finite law of integer price shocks (ticks). */
const noiseLaw = z
  .object({
    values: z
      .array(z.number().int({ message: 'must be integer ticks (prices stay on the grid)' }))
      .min(1, { message: 'must list at least one value' })
      .max(64, { message: 'must list at most 64 values' }),
    probs: z.array(probability).min(1, { message: 'must list at least one probability' }),
  })
  .superRefine(lawChecks('values'));

function lawChecks(valuesKey: 'values' | null) {
  return (law: { values?: number[]; probs: number[] }, ctx: z.RefinementCtx) => {
    if (valuesKey && law.values && law.values.length !== law.probs.length)
      ctx.addIssue({ code: 'custom', path: ['probs'], message: 'must have one probability per value' });
    const sum = law.probs.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-12)
      ctx.addIssue({ code: 'custom', path: ['probs'], message: `must sum to 1 (sum is ${sum})` });
    if (valuesKey && law.values && law.values.length === law.probs.length) {
      const vals = law.values;
      if (new Set(vals).size !== vals.length)
        ctx.addIssue({ code: 'custom', path: ['values'], message: 'must be distinct' });
      // Symmetric law (spec §1.2): P(e = v) = P(e = −v).
      const mass = new Map<number, number>(vals.map((v, i) => [v, law.probs[i] as number]));
      for (const [v, p] of mass)
        if (Math.abs((mass.get(-v) ?? 0) - p) > 1e-12) {
          ctx.addIssue({
            code: 'custom',
            path: ['probs'],
            message: 'must be a symmetric law (P(e) = P(−e))',
          });
          break;
        }
    }
  };
}

// ---------------------------------------------------------------- the variants

/** Common defaults (spec §1): Q0 = 20, N = 10, G = {0…10}, γ = 1, λ_T = 10. */
export const COMMON_DEFAULTS = {
  q0: 20,
  horizon: 10,
  actions: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  gamma: 1,
  terminalPenalty: 10,
} as const;

const common = {
  q0: positiveInt('lots to sell')
    .max(100_000, { message: 'must be at most 100000' })
    .default(COMMON_DEFAULTS.q0),
  horizon: positiveInt('decision steps')
    .max(10_000, { message: 'must be at most 10000' })
    .default(COMMON_DEFAULTS.horizon),
  gamma: gammaField.default(COMMON_DEFAULTS.gamma),
  terminalPenalty: nonNegative('λ_T').default(COMMON_DEFAULTS.terminalPenalty),
  /** Running inventory penalty (φ, or λ_rem in order-type), on L² or, with `linear`, on L. */
  inventoryPenalty: nonNegative('φ').default(0),
  inventoryPenaltyLinear: z.boolean().default(false),
};

export const deterministicSchema = z.object({
  variant: z.literal('deterministic'),
  ...common,
  actions: actionGrid.default([...COMMON_DEFAULTS.actions]),
  /** Temporary impact k (cost k·a²). */
  k: nonNegative('k').default(1),
});

export const impactSchema = z.object({
  variant: z.literal('impact'),
  ...common,
  actions: actionGrid.default([...COMMON_DEFAULTS.actions]),
  /** Temporary impact η (ticks/lot): a sale of a executes at j − ηa. */
  eta: nonNegative('η').default(1.5),
  /** Permanent impact κ (integer ticks/lot): j′ = j − κa + e. */
  kappa: z
    .number()
    .int({ message: 'must be a non-negative integer (keeps prices on the tick grid)' })
    .min(0, { message: 'must be a non-negative integer' })
    .default(1),
  noise: noiseLaw.default({ values: [-1, 0, 1], probs: [0.25, 0.5, 0.25] }),
  /** `is` shortfall vs arrival, `pi` price improvement vs the current mid, `regret` vs the hindsight best. */
  reward: z.enum(['is', 'pi', 'regret'], { message: "must be 'is', 'pi' or 'regret'" }).default('is'),
});

const fillLaw = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        kind: z.literal('volume'),
        /** P(D = 0), P(D = 1), … of the incoming buy volume per step. */
        probs: z.array(probability).min(1, { message: 'must list at least one probability' }).max(257),
      })
      .superRefine(lawChecks(null)),
    z.object({ kind: z.literal('all-or-nothing'), p: probability }),
  ],
  { message: "must be {kind: 'volume', probs} or {kind: 'all-or-nothing', p}" },
);

export const orderTypeSchema = z.object({
  variant: z.literal('order-type'),
  ...common,
  /** Largest LO and MO size L = M. */
  maxSize: positiveInt('largest order size L = M').max(31, { message: 'must be at most 31' }).default(10),
  halfSpread: nonNegative('h').default(1),
  etaMo: nonNegative('η_MO').default(0.5),
  crossPenalty: nonNegative('λ_cross').default(0),
  crossPerLot: z.boolean().default(false),
  fill: fillLaw.default({ kind: 'volume', probs: [0.2, 0.3, 0.25, 0.15, 0.1] }),
});

export const noisyFeaturesSchema = z.object({
  variant: z.literal('noisy-features'),
  ...common,
  actions: actionGrid.default([...COMMON_DEFAULTS.actions]),
  k: nonNegative('k').default(1),
  sigmaXi: nonNegative('σ_ξ').default(2),
  /** P(ξ = −1), P(ξ = 0), P(ξ = +1). */
  xiProbs: z
    .array(probability)
    .length(3, { message: 'must be 3 probabilities for ξ = −1, 0, +1' })
    .superRefine((p, ctx) => lawChecks(null)({ probs: p }, ctx))
    .default([0.25, 0.5, 0.25]),
  buckets: positiveInt('imbalance buckets B').max(64, { message: 'must be at most 64' }).default(4),
  /** Informative option: P(ξ = e | f2) ∝ p_e exp(β e (2f2/(B−1) − 1)); 0 = features irrelevant. */
  beta: z.number().finite({ message: 'must be finite' }).default(0),
  /** What the learner indexes its table by: (q, τ) or (q, τ, f1, f2). */
  projection: z.enum(['minimal', 'full'], { message: "must be 'minimal' or 'full'" }).default('minimal'),
});

export const envSchema = z.discriminatedUnion(
  'variant',
  [deterministicSchema, impactSchema, orderTypeSchema, noisyFeaturesSchema],
  { message: "must be one of 'deterministic', 'impact', 'order-type', 'noisy-features'" },
);

export type DeterministicConfig = z.output<typeof deterministicSchema>;
export type ImpactConfig = z.output<typeof impactSchema>;
export type OrderTypeConfig = z.output<typeof orderTypeSchema>;
export type NoisyFeaturesConfig = z.output<typeof noisyFeaturesSchema>;
export type EnvConfig = z.output<typeof envSchema>;
export type EnvInput = z.input<typeof envSchema>;
export type Variant = EnvConfig['variant'];

// ---------------------------------------------------------------- the learner (spec §2)

export const learnerSchema = z.object({
  episodes: positiveInt('training episodes E').max(100_000_000, { message: 'must be at most 1e8' }),
  alpha: z
    .discriminatedUnion(
      'kind',
      [
        z.object({
          kind: z.literal('poly'),
          omega: z
            .number()
            .gt(0.5, { message: 'must be in (1/2, 1]' })
            .max(1, { message: 'must be in (1/2, 1]' })
            .default(0.6),
          min: z
            .number()
            .min(0, { message: 'must be in [0, 1]' })
            .max(1, { message: 'must be in [0, 1]' })
            .default(0),
        }),
        z.object({
          kind: z.literal('const'),
          value: z.number().gt(0, { message: 'must be in (0, 1]' }).max(1, { message: 'must be in (0, 1]' }),
        }),
      ],
      { message: "must be {kind: 'poly', omega, min} or {kind: 'const', value}" },
    )
    .default({ kind: 'poly', omega: 0.6, min: 0 }),
  epsilon: z
    .discriminatedUnion(
      'kind',
      [
        z.object({
          kind: z.literal('linear'),
          start: probability.default(1),
          end: probability.default(0.05),
          fraction: z.number().gt(0, { message: 'must be in (0, 1]' }).max(1).default(0.8),
        }),
        z.object({
          kind: z.literal('exp'),
          start: probability.default(1),
          end: probability.default(0.05),
          fraction: z.number().gt(0, { message: 'must be in (0, 1]' }).max(1).default(0.8),
          /** d; default (end/start)^(1/(fraction·E)). */
          decay: z.number().gt(0).max(1).optional(),
        }),
        z.object({ kind: z.literal('const'), value: probability }),
      ],
      { message: "must be {kind: 'linear' | 'exp' | 'const', …}" },
    )
    .default({ kind: 'linear', start: 1, end: 0.05, fraction: 0.8 }),
  qInit: z.number().finite({ message: 'must be finite' }).default(0),
  checkpoints: z.number().int().min(0).max(10_000, { message: 'must be at most 10000' }).default(50),
});

export type LearnerConfig = z.output<typeof learnerSchema>;
export type LearnerInput = z.input<typeof learnerSchema>;

// ---------------------------------------------------------------- parsing and the size check

function parseWith<T extends z.ZodType>(schema: T, raw: unknown, prefix: string): z.output<T> {
  const r = schema.safeParse(raw);
  if (!r.success) throw new UsageError(formatIssues(r.error.issues, prefix));
  return r.data;
}

/** Largest transition table (bytes) the engines will build: WASM32 memory holds at most 4 GiB. */
export const MAX_TABLE_BYTES = 1 << 30;
/** Bytes per outcome record: cumulative probability, reward, next state (3 f64). */
export const RECORD_BYTES = 24;

export interface EnvSize {
  readonly states: number;
  readonly obsStates: number;
  readonly actions: number;
  readonly outcomes: number;
  /** Transition table bytes: N·S·A·K·24. */
  readonly tableBytes: number;
  /**
   * Q (f64) + visit counts (u32) bytes as the WASM kernel lays them out (rows padded to A2 = A
   * rounded up to a multiple of 4, and a 16-byte max/tie header per row): N·S_obs·(12·A2 + 16).
   */
  readonly learnerBytes: number;
}

/** Price-grid extent of `impact` (spec §1.2): [−κQ0 − N·e_max, N·e_max]. */
export function priceGrid(c: ImpactConfig): {
  jMin: number;
  jMax: number;
  nJ: number;
  mMax: number;
  nM: number;
} {
  const eMax = Math.max(...c.noise.values.map(Math.abs));
  const jMin = -c.kappa * c.q0 - c.horizon * eMax;
  const jMax = c.horizon * eMax;
  const mMax = c.horizon * eMax;
  return { jMin, jMax, nJ: jMax - jMin + 1, mMax, nM: mMax + 1 };
}

/** Table sizes of a config, computed without building anything. */
export function envSize(c: EnvConfig): EnvSize {
  const q = c.q0 + 1;
  let states: number;
  let obsStates: number;
  let actions: number;
  let outcomes: number;
  switch (c.variant) {
    case 'deterministic':
      states = obsStates = q;
      actions = c.actions.length;
      outcomes = 1;
      break;
    case 'impact': {
      const g = priceGrid(c);
      states = obsStates = q * g.nJ * (c.reward === 'regret' ? g.nM : 1);
      actions = c.actions.length;
      outcomes = c.noise.values.length;
      break;
    }
    case 'order-type':
      states = obsStates = q;
      actions = 1 + 2 * c.maxSize;
      outcomes = c.fill.kind === 'volume' ? c.fill.probs.length : 2;
      break;
    case 'noisy-features':
      states = q * 3 * c.buckets;
      obsStates = c.projection === 'full' ? states : q;
      actions = c.actions.length;
      outcomes = 3 * c.buckets;
      break;
  }
  return {
    states,
    obsStates,
    actions,
    outcomes,
    tableBytes: c.horizon * states * actions * outcomes * RECORD_BYTES,
    learnerBytes: c.horizon * obsStates * (12 * ((actions + 3) & ~3) + 16),
  };
}

/** Whether some sequence of `horizon` sizes from the grid sells exactly q0 (the grid can liquidate). */
export function canLiquidate(grid: readonly number[], q0: number, horizon: number): boolean {
  let reach = new Uint8Array(q0 + 1);
  reach[0] = 1;
  for (let t = 0; t < horizon; t++) {
    const next = new Uint8Array(q0 + 1);
    for (let v = 0; v <= q0; v++) {
      if (!reach[v]) continue;
      for (const a of grid) if (v + a <= q0) next[v + a] = 1;
    }
    reach = next;
    if (reach[q0]) return true;
  }
  return reach[q0] === 1;
}

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** A problem of a well-typed config found by the feasibility checks: the field(s) and why. */
export interface EnvProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * The feasibility of a typed environment config: the tables must fit in memory (checked first: it is
 * O(1), the liquidation scan O(N·Q0·A)) and the action grid must be able to liquidate Q0 in N steps.
 */
export function envProblem(c: EnvConfig): EnvProblem | null {
  const size = envSize(c);
  if (size.tableBytes + size.learnerBytes > MAX_TABLE_BYTES)
    return {
      field: c.variant === 'order-type' ? 'q0 × horizon × maxSize' : 'q0 × horizon × actions',
      message: `state space too large: ${size.states} states × ${size.actions} actions × ${size.outcomes} outcomes × ${c.horizon} steps needs ${mb(size.tableBytes + size.learnerBytes)} of tables (limit ${mb(MAX_TABLE_BYTES)})`,
    };
  if (c.variant === 'order-type') {
    if (c.horizon * c.maxSize < c.q0)
      return {
        field: 'maxSize',
        message: `market orders of at most ${c.maxSize} lots cannot liquidate q0 = ${c.q0} in ${c.horizon} steps`,
      };
  } else if (!canLiquidate(c.actions, c.q0, c.horizon))
    return {
      field: 'actions',
      message: `the grid {${c.actions.join(', ')}} cannot liquidate q0 = ${c.q0} in ${c.horizon} steps`,
    };
  return null;
}

/**
 * Validates an environment config (defaults filled in) and its feasibility (envProblem). Throws
 * UsageError naming the field.
 */
export function parseEnvConfig(raw: unknown, prefix = ''): EnvConfig {
  const c = parseWith(envSchema, raw, prefix);
  const problem = envProblem(c);
  if (problem)
    throw new UsageError(`${prefix ? `${prefix}.${problem.field}` : problem.field}: ${problem.message}`);
  return c;
}

/** Validates learner settings (defaults filled in). */
export function parseLearnerConfig(raw: unknown, prefix = ''): LearnerConfig {
  return parseWith(learnerSchema, raw, prefix);
}
