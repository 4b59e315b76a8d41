/**
 * Qknn solver configuration (spec qknn-market-making §4): strict, flat, with the spec's recommended
 * defaults; `paperFaithful` gives the paper-faithful line of §5.3. Bad values throw UsageError naming
 * the field.
 */
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { type LobModel, type LobModelInput, REGIMES, resolveModel } from '../lob/model.js';
import { MAX_L, MIN_L } from './quantizer.js';

export const qknnConfigSchema = z
  .object({
    regime: z.enum(REGIMES).default('const'),
    /** A1lim (4 actions), A2lim (9) or A2lim16 (16: L1 and L2 per side, up to four orders). */
    actions: z.enum(['A1lim', 'A2lim', 'A2lim16']).default('A1lim'),
    /** A2lim/A2lim16's L2: the others' next non-empty level behind the best, or one tick behind it. */
    l2: z.enum(['next_nonempty', 'one_tick']).default('next_nonempty'),
    /** Horizon override (default: the regime's T). */
    T: z.number().finite().positive().optional(),
    /** Trend κ override (λ^{M+}(1 + κ), λ^{M−}(1 − κ)). */
    trend: z.number().finite().gt(-1).lt(1).optional(),
    /** N, the number of jump steps (default: the regime's cap, 50 for R-const). */
    N: z.number().int().min(1).max(100_000).optional(),
    /** Training trajectories per grid set. */
    D: z.number().int().min(1).max(100_000_000).default(10_000),
    /** Quantizer points. */
    L: z.number().int().min(MIN_L).max(MAX_L).default(8),
    truncation: z.enum(['mass-exact', 'paper-literal']).default('mass-exact'),
    /**
     * Time handling: `joint` projects (time to go, state) together over the simulated pairs; `product`
     * crosses J time points per step with the de-duplicated states and handles the waiting time by
     * exact-mass cells (src/qknn/product.ts; L and the truncation do not apply).
     */
    timeMode: z.enum(['joint', 'product']).default('joint'),
    /** Product mode: time points per step (empirical quantiles of the step's event times). */
    J: z.number().int().min(1).max(256).default(20),
    /** Neighbours averaged per projection. */
    k: z.number().int().min(1).max(64).default(1),
    estimator: z.enum(['double', 'plain']).default('double'),
    pRef: z.enum(['mid', 'pb']).default('mid'),
    canonical: z.boolean().default(true),
    /** Search only grid points with the successor's inventory (nearest inventory present otherwise). */
    exactY: z.boolean().default(true),
    /** Weight of the presence bits when not canonicalised. */
    presenceWeight: z.number().finite().positive().default(10),
    explore: z.enum(['uniform', 'sticky', 'mix11']).default('uniform'),
    /** Sticky exploration: keep the previous action w.p. ρ. */
    rho: z.number().finite().min(0).max(1).default(0.8),
    /** mix11 exploration: play 11 w.p. this share, else uniform. */
    mix: z.number().finite().min(0).max(1).default(0.5),
    /** Terminal value after N jumps: g (close out) or 0. */
    phi: z.enum(['g', 'zero']).default('g'),
    /**
     * Nearest-neighbour index per bucket: the exact time/state split index, an exact k-d tree, the
     * approximate forest, brute force, or auto (brute force up to `bruteMax` points, else split).
     */
    index: z.enum(['auto', 'split', 'tree', 'forest', 'brute']).default('auto'),
    /** Buckets up to this size are scanned by brute force under `auto`. */
    bruteMax: z.number().int().min(0).default(1024),
    forestTrees: z.number().int().min(1).max(64).default(4),
    forestChecks: z.number().int().min(1).default(64),
    /** Run index of the training streams. */
    run: z.number().int().min(0).default(0),
  })
  .strict();

export type QknnConfig = z.output<typeof qknnConfigSchema>;
export type QknnConfigInput = z.input<typeof qknnConfigSchema>;

/** §5.3's paper-faithful configuration: single estimator, k = 1, unit weights, no canonicalisation. */
export const PAPER_FAITHFUL: Partial<QknnConfigInput> = {
  estimator: 'plain',
  k: 1,
  canonical: false,
  exactY: false,
  presenceWeight: 1,
  explore: 'uniform',
  pRef: 'pb',
};

/**
 * §5.3's authors-like line, as far as it fits the U-representation: the paper-faithful configuration
 * with product time mode (J = 20) and Φ = 0. The authors' raw features (cash, absolute prices) are
 * not offered: values are stored and projected free of cash and price (§4.5), so they have no place.
 */
export const AUTHORS_LIKE: Partial<QknnConfigInput> = {
  ...PAPER_FAITHFUL,
  timeMode: 'product',
  J: 20,
  phi: 'zero',
};

/** Values (and policy entries) per grid point: J time points in product mode, else one. */
export function timePoints(c: QknnConfig): number {
  return c.timeMode === 'product' ? c.J : 1;
}

/** Default N per regime: ~the 99.9 % event-count quantile with margin (§3.3, §5.1). */
const DEFAULT_N: Record<(typeof REGIMES)[number], number> = { const: 50, hlr: 250, 'hlr-dev': 100, ahp: 160 };

function issueField(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(config)';
}

/** Validates a configuration (unknown keys refused); throws UsageError naming the field. */
export function resolveQknnConfig(input: unknown): QknnConfig {
  const parsed = qknnConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${issueField(issue?.path ?? [])}: ${issue?.message ?? 'invalid'}`);
  }
  const c = parsed.data;
  if (c.timeMode === 'product' && c.truncation !== 'mass-exact')
    throw new UsageError('truncation: product mode uses exact-mass time cells; only mass-exact applies');
  return c;
}

/** The order-book model of a configuration: its regime with T, κ, N and the action class applied. */
export function qknnModel(c: QknnConfig): LobModel {
  const overrides: Partial<LobModelInput> = {
    actions: c.actions,
    l2: c.l2,
    maxEvents: c.N ?? DEFAULT_N[c.regime],
  };
  if (c.T !== undefined) overrides.T = c.T;
  if (c.trend !== undefined) overrides.trend = c.trend;
  return resolveModel(c.regime, overrides);
}

/** Number of actions of the class. */
export function actionCount(c: QknnConfig): number {
  return c.actions === 'A1lim' ? 4 : c.actions === 'A2lim' ? 9 : 16;
}

/**
 * Per-side labels of action index a, in the kernel's encoding: A1lim/A2lim 0 none, 1 L1, 2 L2;
 * A2lim16 a mask per side (bit 0 an order at L1, bit 1 an order at L2), a = 4·ask + bid.
 */
export function actionLabels(actions: QknnConfig['actions'], a: number): [number, number] {
  if (actions === 'A1lim') return [a >> 1, a & 1];
  if (actions === 'A2lim') return [Math.floor(a / 3), a % 3];
  return [a >> 2, a & 3];
}

/** The action index of 11 (one order at the best quote on each side) in the class. */
export function action11(actions: QknnConfig['actions']): number {
  return actions === 'A1lim' ? 3 : actions === 'A2lim' ? 4 : 5;
}

export function assertPositive(name: string, v: number): void {
  if (!(Number.isInteger(v) && v >= 1)) throw new UsageError(`${name}: must be a positive integer`);
}
