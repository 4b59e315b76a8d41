/**
 * Charts of `quantrl qknn experiment` beside the P&L histograms: the ask share against the best-queue
 * imbalance with and without trend (AHP's Fig. 6, test T6), and the Qknn mean P&L against the grid size
 * D with ±1 SE bars and 11's mean as a reference line (the message of AHP's Fig. 4, tests T3 and T4).
 */
import type { ChartSpec } from '../report/plots.js';
import { IMBALANCE_BINS } from './ask-share.js';
import type { AskShareRow, TestResult } from './experiment.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

const VERSION_TITLE: Record<AskShareRow['version'], string> = {
  grid: 'grid states (steps 1..N−1)',
  decisions: 'evaluation decisions',
};

/** Fig. 6: one panel per version (rows) and configuration (columns), one line per trend. */
export function askShareChart(rows: readonly AskShareRow[], title: string): ChartSpec {
  const values = rows
    .filter((r) => r.share !== null)
    .map((r) => ({
      version: VERSION_TITLE[r.version],
      config: r.config,
      trend: `κ = ${r.trend}`,
      imbalance: (r.bin + 0.5) / IMBALANCE_BINS,
      share: r.share,
      orders: r.orders,
    }));
  return {
    $schema: SCHEMA,
    title,
    data: { values },
    facet: {
      row: { field: 'version', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left' } },
      column: { field: 'config', type: 'nominal', title: null },
    },
    spec: {
      width: 260,
      height: 160,
      mark: { type: 'line', point: true },
      encoding: {
        x: {
          field: 'imbalance',
          type: 'quantitative',
          title: 'imbalance q_a/(q_a + q_b), bin centre',
          scale: { domain: [0, 1] },
        },
        y: {
          field: 'share',
          type: 'quantitative',
          title: 'ask share of MM orders',
          scale: { domain: [0, 1] },
        },
        color: { field: 'trend', type: 'nominal', title: 'trend' },
      },
    },
  } as ChartSpec;
}

/**
 * Mean P&L against D for each configuration with ±1 SE bars, and 11's mean (dashed) on the same
 * episodes; null when the test trained fewer than two grid sizes.
 */
export function meanVsDChart(r: TestResult): ChartSpec | null {
  const arms = r.arms.filter((a) => a.summary);
  if (new Set(arms.map((a) => a.D)).size < 2) return null;
  const base = Object.values(r.baselines)[0];
  const points = arms.map((a) => ({
    policy: `Qknn ${a.config}`,
    D: a.D,
    mean: a.summary.mean,
    lo: a.summary.mean - a.summary.se,
    hi: a.summary.mean + a.summary.se,
  }));
  const color = { field: 'policy', type: 'nominal', title: null };
  const ds = arms.map((a) => a.D);
  const x = {
    field: 'D',
    type: 'quantitative',
    title: 'grid size D (trajectories per set, log scale)',
    scale: { type: 'log', domain: [Math.min(...ds) / 1.5, Math.max(...ds) * 1.5], nice: false },
  };
  const layers: unknown[] = [
    {
      mark: { type: 'line', point: true },
      encoding: { x, y: { field: 'mean', type: 'quantitative' }, color },
    },
    {
      mark: { type: 'rule' },
      encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color },
    },
  ];
  if (base)
    layers.push({
      data: { values: [{ policy: '11 (same episodes)', mean: base.mean }] },
      mark: { type: 'rule', strokeDash: [6, 4] },
      encoding: { y: { field: 'mean', type: 'quantitative' }, color },
    });
  return {
    $schema: SCHEMA,
    title: `${r.id.toUpperCase()}: mean P&L against D (bars ±1 SE)`,
    width: 420,
    height: 240,
    data: { values: points },
    encoding: { y: { field: 'mean', type: 'quantitative', title: 'mean episode P&L (ticks)' } },
    layer: layers,
  } as ChartSpec;
}
