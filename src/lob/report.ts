/** Printed tables, the P&L histogram chart and paired differences of order-book evaluations. */
import type { ChartSpec } from '../report/plots.js';
import { O_PNL, OUT_STRIDE } from './layout.js';
import type { LobSummary } from './stats.js';

/** The baseline table: one row per policy. */
export function summaryTable(summaries: readonly LobSummary[]): string {
  const head = [
    'policy',
    'mean',
    'SE',
    'sd',
    'P(≤−2)',
    'CVaR5%',
    'E|y_T|',
    'fills a/b',
    'quote a/b',
    'events',
    'q99.9',
    'boundary',
    'reservoir',
  ];
  const rows = summaries.map((s) => [
    s.policy,
    s.mean.toFixed(3),
    s.se.toFixed(3),
    s.sd.toFixed(3),
    s.probLossLe2.toFixed(3),
    s.cvar5.toFixed(2),
    s.meanAbsInventory.toFixed(3),
    `${s.fillsAsk.toFixed(2)}/${s.fillsBid.toFixed(2)}`,
    `${s.quotingAsk.toFixed(2)}/${s.quotingBid.toFixed(2)}`,
    s.eventsMean.toFixed(1),
    String(s.eventQuantiles.q999),
    s.boundaryRate.toFixed(3),
    s.reservoirFraction.toFixed(3),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padStart(widths[i] as number)).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

/** Integer P&L histogram of the first policy as text bars (share of episodes). */
export function histogramText(s: LobSummary, width = 40): string {
  const entries = s.histogram.map((h) => [h.pnl, h.count] as const);
  const max = Math.max(...entries.map(([, v]) => v));
  return entries
    .filter(([, v]) => v / s.episodes >= 0.001)
    .map(
      ([k, v]) =>
        `${String(k).padStart(5)} ${(v / s.episodes).toFixed(3)} ${'█'.repeat(Math.round((v / max) * width))}`,
    )
    .join('\n');
}

/** Paired difference of P&L (policy − reference) per episode on common random numbers: mean and SE. */
export function pairedDifference(a: Float64Array, ref: Float64Array): { mean: number; se: number } {
  const n = a.length / OUT_STRIDE;
  let s = 0,
    s2 = 0;
  for (let e = 0; e < n; e++) {
    const d = (a[e * OUT_STRIDE + O_PNL] as number) - (ref[e * OUT_STRIDE + O_PNL] as number);
    s += d;
    s2 += d * d;
  }
  const mean = s / n;
  const variance = n > 1 ? (s2 - n * mean * mean) / (n - 1) : 0;
  return { mean, se: Math.sqrt(Math.max(0, variance) / n) };
}

/** Vega-lite bars of the integer P&L distribution, one colour per policy. */
export function histogramChart(summaries: readonly LobSummary[], title: string): ChartSpec {
  const values = summaries.flatMap((s) =>
    s.histogram.map((h) => ({ policy: s.policy, pnl: h.pnl, share: h.count / s.episodes })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 480,
    height: 260,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'pnl', type: 'ordinal', title: 'P&L (ticks)', sort: 'ascending' },
      xOffset: { field: 'policy', type: 'nominal' },
      y: { field: 'share', type: 'quantitative', title: 'share of episodes' },
      color: { field: 'policy', type: 'nominal' },
    },
  } as ChartSpec;
}
