/**
 * AHP's Fig. 6 (spec qknn-market-making §5.2, test T6): the share of the market maker's orders placed on
 * the ask side, per bin of the best-queue imbalance q_a/(q_a + q_b) (others' units at the best ask and
 * the best bid). Two ways: over training-grid states (steps 1..N−1, the authors' way, each grid point
 * counted once with its learned action) and over the decisions a trained policy takes in evaluation
 * episodes. Both read the same quantities, so their curves are comparable.
 */
import { S_A, S_B, S_PA, S_PB, S_Y, STATE_SLOTS } from '../lob/layout.js';
import { spearman } from '../stats.js';
import { actionLabels, type QknnConfig } from './config.js';
import { loadState, type StepGrid } from './grids.js';
import type { StepTable } from './solver.js';

export const IMBALANCE_BINS = 10;

export interface AskShareCurve {
  /** Ask share per bin; null where no order was placed in the bin. */
  readonly share: (number | null)[];
  /** Orders (ask + bid) per bin. */
  readonly orders: number[];
  /** States (grid points or decisions) counted. */
  readonly states: number;
}

/** The imbalance bin of a state block, or −1 when both best queues hold none of the others' units. */
export function imbalanceBin(st: Int32Array, o: number, K: number, bins = IMBALANCE_BINS): number {
  const s = (st[o + S_PA] as number) - (st[o + S_PB] as number);
  const qa = s <= K ? (st[o + S_A + s - 1] as number) : 0;
  const qb = s <= K ? (st[o + S_B + s - 1] as number) : 0;
  if (qa + qb <= 0) return -1;
  return Math.min(bins - 1, Math.floor((qa / (qa + qb)) * bins));
}

/** Orders a per-side label places: 0/1 for A1lim and A2lim (none, L1, L2), the mask's bits for A2lim16. */
export function ordersOfLabel(actions: QknnConfig['actions'], label: number): number {
  if (actions === 'A2lim16') return (label & 1) + ((label >> 1) & 1);
  return label > 0 ? 1 : 0;
}

/** Accumulates per-bin ask and total order counts. */
export class AskShareTally {
  private readonly asks: Float64Array;
  private readonly orders: Float64Array;
  private states = 0;

  constructor(
    private readonly actions: QknnConfig['actions'],
    private readonly K: number,
    private readonly bins = IMBALANCE_BINS,
  ) {
    this.asks = new Float64Array(bins);
    this.orders = new Float64Array(bins);
  }

  /** Counts the state at st[o..] with the per-side labels the policy chose there. */
  add(st: Int32Array, o: number, ask: number, bid: number): void {
    const bin = imbalanceBin(st, o, this.K, this.bins);
    if (bin < 0) return;
    this.states++;
    const na = ordersOfLabel(this.actions, ask);
    const nb = ordersOfLabel(this.actions, bid);
    this.asks[bin] = (this.asks[bin] as number) + na;
    this.orders[bin] = (this.orders[bin] as number) + na + nb;
  }

  curve(): AskShareCurve {
    return {
      share: Array.from(this.orders, (n, i) => (n > 0 ? (this.asks[i] as number) / n : null)),
      orders: Array.from(this.orders),
      states: this.states,
    };
  }
}

/**
 * The curve over grid states of steps 1..N−1 with the learned actions Â_n (the authors' way); with
 * `flatOnly`, only the states without inventory (y = 0), where no inventory motive mixes in.
 */
export function gridAskShare(
  c: QknnConfig,
  K: number,
  grids: readonly StepGrid[],
  steps: readonly StepTable[],
  flatOnly = false,
): AskShareCurve {
  const tally = new AskShareTally(c.actions, K);
  const st = new Int32Array(STATE_SLOTS);
  for (let n = 1; n < steps.length; n++) {
    const g = grids[n],
      s = steps[n];
    if (!g || !s) continue;
    for (let i = 0; i < g.count; i++) {
      loadState(g, i, st);
      if (flatOnly && st[S_Y] !== 0) continue;
      const [ask, bid] = actionLabels(c.actions, s.actions[i] as number);
      tally.add(st, 0, ask, bid);
    }
  }
  return tally.curve();
}

/** One-sided Spearman critical values at 1 % for n = 5..10 points (Zar's table). */
const SPEARMAN_01: Record<number, number> = { 5: 1, 6: 0.943, 7: 0.893, 8: 0.833, 9: 0.783, 10: 0.745 };
/** One-sided Student t at 5 %, df = 1..9. */
const T05 = [Number.NaN, 6.314, 2.92, 2.353, 2.132, 2.015, 1.943, 1.895, 1.86, 1.833];

/** T6's two statistics of a pair of curves (no trend, trend). */
export interface TrendStatistics {
  /** Spearman ρ of the no-trend curve against the bin index, its non-empty bins, the 1 % critical value. */
  readonly rho: number;
  readonly bins: number;
  readonly rhoCritical: number | undefined;
  /** Paired differences trend − no trend over bins where both are defined: mean, t, 5 % critical t. */
  readonly pairs: number;
  readonly meanDifference: number;
  readonly t: number;
  readonly tCritical: number | undefined;
}

export function trendStatistics(flat: AskShareCurve, trend: AskShareCurve): TrendStatistics {
  const xs: number[] = [],
    ys: number[] = [];
  flat.share.forEach((s, b) => {
    if (s !== null) {
      xs.push(b);
      ys.push(s);
    }
  });
  const diffs: number[] = [];
  flat.share.forEach((a0, b) => {
    const a1 = trend.share[b];
    if (a0 !== null && a1 !== null && a1 !== undefined) diffs.push(a1 - a0);
  });
  const n = diffs.length;
  const mean = diffs.reduce((s, v) => s + v, 0) / Math.max(1, n);
  const sd = Math.sqrt(diffs.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, n - 1));
  const t = sd > 0 ? mean / (sd / Math.sqrt(n)) : mean < 0 ? Number.NEGATIVE_INFINITY : 0;
  return {
    rho: spearman(xs, ys),
    bins: xs.length,
    rhoCritical: SPEARMAN_01[xs.length],
    pairs: n,
    meanDifference: mean,
    t,
    tCritical: T05[n - 1],
  };
}
