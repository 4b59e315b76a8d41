/**
 * Summary statistics of a strategy's episodes (spec §4.8): mean, SE, sd, the integer P&L histogram,
 * P(P&L ≤ −2), 5 % CVaR, mean |y_T|, fills and quoting time per side, event-count quantiles (to size N
 * for Qknn), boundary-rule rate and the fraction of episodes stopped at N.
 */
import {
  O_CAPPED,
  O_EVENTS,
  O_FILLS_ASK,
  O_FILLS_BID,
  O_HITS,
  O_PNL,
  O_QUOTE_ASK,
  O_QUOTE_BID,
  O_RESERVOIR_TIME,
  O_Y,
  OUT_STRIDE,
} from './layout.js';

export interface LobSummary {
  readonly policy: string;
  readonly episodes: number;
  readonly mean: number;
  readonly se: number;
  readonly sd: number;
  /** Integer P&L histogram, ascending in P&L. */
  readonly histogram: readonly { readonly pnl: number; readonly count: number }[];
  readonly probLossLe2: number;
  /** Mean of the worst 5 % of P&Ls (ceil(0.05·E) episodes). */
  readonly cvar5: number;
  readonly meanAbsInventory: number;
  readonly meanInventory: number;
  readonly seInventory: number;
  /** Mean MM sell fills (ask side) and buy fills (bid side) per episode. */
  readonly fillsAsk: number;
  readonly fillsBid: number;
  /** Standard error of the per-episode difference fillsAsk − fillsBid. */
  readonly seFillDifference: number;
  /** Mean fraction of [0, T] with an MM order resting on each side. */
  readonly quotingAsk: number;
  readonly quotingBid: number;
  readonly eventsMean: number;
  /** Event-count quantiles q50, q90, q99, q99.9 and the maximum. */
  readonly eventQuantiles: Readonly<Record<'q50' | 'q90' | 'q99' | 'q999' | 'max', number>>;
  /** Boundary-rule triggers per episode (reservoir entries or refills). */
  readonly boundaryRate: number;
  /** Fraction of episodes stopped at the N-th event. */
  readonly cappedFraction: number;
  /** Mean fraction of [0, T] spent in reservoir state (spread K+1, both frames empty). */
  readonly reservoirFraction: number;
}

/** Quantile by the nearest-rank rule on a sorted array. */
export function nearestRankQuantile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[idx] as number;
}

/** Summarises episode records (OUT_STRIDE per episode) of a horizon T. */
export function summarize(policy: string, records: Float64Array, T: number): LobSummary {
  const n = records.length / OUT_STRIDE;
  const pnl = new Float64Array(n),
    events = new Float64Array(n);
  let sum = 0,
    sumAbsY = 0,
    sumY = 0,
    sumY2 = 0,
    fa = 0,
    fb = 0,
    qa = 0,
    qb = 0,
    hits = 0,
    capped = 0,
    reservoir = 0;
  let sumD = 0,
    sumD2 = 0,
    le2 = 0;
  const counts = new Map<number, number>();
  for (let e = 0; e < n; e++) {
    const rec = e * OUT_STRIDE;
    const p = records[rec + O_PNL] as number,
      y = records[rec + O_Y] as number;
    const a = records[rec + O_FILLS_ASK] as number,
      b = records[rec + O_FILLS_BID] as number;
    pnl[e] = p;
    events[e] = records[rec + O_EVENTS] as number;
    sum += p;
    if (p <= -2) le2++;
    counts.set(p, (counts.get(p) ?? 0) + 1);
    sumAbsY += Math.abs(y);
    sumY += y;
    sumY2 += y * y;
    fa += a;
    fb += b;
    sumD += a - b;
    sumD2 += (a - b) * (a - b);
    qa += records[rec + O_QUOTE_ASK] as number;
    qb += records[rec + O_QUOTE_BID] as number;
    hits += records[rec + O_HITS] as number;
    capped += records[rec + O_CAPPED] as number;
    reservoir += records[rec + O_RESERVOIR_TIME] as number;
  }
  const mean = sum / n;
  let ss = 0;
  for (let e = 0; e < n; e++) ss += ((pnl[e] as number) - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const varOf = (s: number, s2: number) => (n > 1 ? (s2 - (s * s) / n) / (n - 1) : 0);
  const sorted = pnl.slice().sort();
  const tail = Math.max(1, Math.ceil(0.05 * n));
  let worst = 0;
  for (let e = 0; e < tail; e++) worst += sorted[e] as number;
  events.sort();
  const histogram = [...counts].sort((x, y) => x[0] - y[0]).map(([pnl, count]) => ({ pnl, count }));
  return {
    policy,
    episodes: n,
    mean,
    se: sd / Math.sqrt(n),
    sd,
    histogram,
    probLossLe2: le2 / n,
    cvar5: worst / tail,
    meanAbsInventory: sumAbsY / n,
    meanInventory: sumY / n,
    seInventory: Math.sqrt(varOf(sumY, sumY2) / n),
    fillsAsk: fa / n,
    fillsBid: fb / n,
    seFillDifference: Math.sqrt(varOf(sumD, sumD2) / n),
    quotingAsk: qa / n / T,
    quotingBid: qb / n / T,
    eventsMean: events.reduce((s, v) => s + v, 0) / n,
    eventQuantiles: {
      q50: nearestRankQuantile(events, 0.5),
      q90: nearestRankQuantile(events, 0.9),
      q99: nearestRankQuantile(events, 0.99),
      q999: nearestRankQuantile(events, 0.999),
      max: events[n - 1] as number,
    },
    boundaryRate: hits / n,
    cappedFraction: capped / n,
    reservoirFraction: reservoir / n / T,
  };
}
