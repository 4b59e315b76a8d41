/** Printed tables, the P&L histogram chart and paired differences of order-book evaluations. */
import { REFERENCES } from '../report/citations.js';
import {
  type Comparison,
  comparisonTable,
  judge,
  type Machine,
  referencesSection,
  runSection,
  sizeSection,
} from '../report/markdown.js';
import type { ChartSpec } from '../report/plots.js';
import { O_PNL, OUT_STRIDE } from './layout.js';
import { type LobModel, resolveModel } from './model.js';
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

/**
 * The P&L distribution as bars on a numeric axis, one panel per policy: every integer P&L between the
 * smallest and largest observed is a bar (zero-height when empty), so distances on the axis are true.
 */
export function histogramChart(summaries: readonly LobSummary[], title: string): ChartSpec {
  const all = summaries.flatMap((s) => s.histogram.map((h) => h.pnl));
  const lo = Math.min(...all),
    hi = Math.max(...all);
  const values = summaries.flatMap((s) => {
    const counts = new Map(s.histogram.map((h) => [h.pnl, h.count]));
    const integer = s.histogram.every((h) => Number.isInteger(h.pnl));
    const xs = integer
      ? Array.from({ length: hi - lo + 1 }, (_, i) => lo + i)
      : s.histogram.map((h) => h.pnl);
    return xs.map((pnl) => ({
      policy: `policy ${s.policy}`,
      x0: pnl - 0.4,
      x1: pnl + 0.4,
      share: (counts.get(pnl) ?? 0) / s.episodes,
    }));
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values },
    facet: {
      row: { field: 'policy', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left' } },
    },
    spec: {
      width: 520,
      height: 90,
      mark: { type: 'rect' },
      encoding: {
        x: {
          field: 'x0',
          type: 'quantitative',
          title: 'episode P&L (ticks)',
          scale: { domain: [lo - 1, hi + 1], nice: false },
        },
        x2: { field: 'x1' },
        y: { field: 'share', type: 'quantitative', title: 'share of episodes' },
        y2: { datum: 0 },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as ChartSpec;
}

// ---------------------------------------------------------------------------------------- report.md

/**
 * Figures of the project's reference prototype on R-const (T = 1, A1lim): AHP publish histograms, not
 * numbers, so these are the only quantitative yardstick (see docs/lob.md). `episodes` is the reference
 * run's size, used for its standard error.
 */
const R_CONST_REFERENCE: Record<
  string,
  Record<string, { mean: number; sd: number; episodes: number; pLe2?: number }>
> = {
  refill: {
    '11': { mean: 0.05, sd: 1.94, episodes: 40_000, pLe2: 0.158 },
    random: { mean: -0.19, sd: 0.75, episodes: 4000 },
    skew: { mean: 0.31, sd: 1.31, episodes: 4000 },
    '00': { mean: 0, sd: 0, episodes: 4000 },
  },
  reservoir: {
    '11': { mean: -0.01, sd: 1.99, episodes: 40_000, pLe2: 0.166 },
    '00': { mean: 0, sd: 0, episodes: 4000 },
  },
};

export function lobComparisons(model: LobModel, summaries: readonly LobSummary[]): Comparison[] {
  if (model.regime !== 'const') return [];
  const defaults = resolveModel('const', { boundary: model.boundary });
  if (JSON.stringify(defaults) !== JSON.stringify(model)) return [];
  const refs = R_CONST_REFERENCE[model.boundary] ?? {};
  const rows: Comparison[] = [];
  for (const s of summaries) {
    const r = refs[s.policy];
    if (!r) continue;
    // 3 combined standard errors (ours over this run's episodes, the reference's over its own)
    const tol = 3 * Math.sqrt((r.sd * r.sd) / r.episodes + s.se * s.se);
    rows.push({
      quantity: `policy ${s.policy}: mean P&L`,
      ours: `${s.mean.toFixed(3)} ± ${s.se.toFixed(3)}`,
      published: `${r.mean.toFixed(2)} (sd ${r.sd}, ${r.episodes.toLocaleString('en-US')} episodes)`,
      tolerance: `± ${tol.toFixed(3)} (3 combined SE)`,
      pass: judge(s.mean, r.mean, tol),
    });
    if (r.pLe2 !== undefined) {
      const p = r.pLe2;
      const tolP =
        3 * Math.sqrt((p * (1 - p)) / r.episodes + (s.probLossLe2 * (1 - s.probLossLe2)) / s.episodes);
      rows.push({
        quantity: `policy ${s.policy}: P(P&L ≤ −2)`,
        ours: s.probLossLe2.toFixed(3),
        published: p.toFixed(3),
        tolerance: `± ${tolP.toFixed(3)} (3 combined SE)`,
        pass: judge(s.probLossLe2, p, tolP),
      });
    }
  }
  return rows;
}

export interface LobRun {
  readonly model: LobModel;
  readonly episodes: number;
  readonly summaries: readonly LobSummary[];
  readonly differences: Record<string, { mean: number; se: number }>;
  readonly command: string;
  readonly machine: Machine;
  readonly workers: number;
  readonly wallSeconds: number;
  readonly files: readonly string[];
  readonly chart: string;
}

const POLICY_MEANING: Record<string, string> = {
  '11': 'always one order at the best ask and one at the best bid (the benchmark of AHP)',
  '00': 'never quote (P&L is 0 by construction: a sanity check)',
  random: 'a uniformly random action of the action class at every decision',
  sticky: 'keep the previous action with probability ρ, else a uniformly random one',
  skew: 'quote both sides when flat, only the side that reduces the inventory otherwise',
};

export function lobReport(run: LobRun): string {
  const cmp = lobComparisons(run.model, run.summaries);
  const maxRef = Math.max(
    0,
    ...Object.values(R_CONST_REFERENCE[run.model.boundary] ?? {}).map((r) => r.episodes),
  );
  const policyRows = run.summaries.map(
    (s) =>
      `| ${s.policy} | ${s.mean.toFixed(3)} ± ${s.se.toFixed(3)} | ${s.sd.toFixed(3)} | ${s.probLossLe2.toFixed(3)} | ${s.cvar5.toFixed(2)} | ${s.meanAbsInventory.toFixed(3)} | ${s.fillsAsk.toFixed(2)} / ${s.fillsBid.toFixed(2)} | ${s.eventsMean.toFixed(1)} | ${s.boundaryRate.toFixed(3)} |`,
  );
  return `# Market making in a microstructural limit order book: baseline policies

Regime ${run.model.regime}, horizon T = ${run.model.T}, K = ${run.model.K} levels per side, boundary rule
${run.model.boundary}, action class ${run.model.actions}; ${run.episodes.toLocaleString('en-US')} episodes per
policy on common random numbers (episode e draws the same stream under every policy, so differences
between policies are paired).

Policies:
${run.summaries.map((s) => `- \`${s.policy}\`: ${POLICY_MEANING[s.policy] ?? 'a custom policy'}`).join('\n')}

## Results

| policy | mean P&L ± SE | sd | P(P&L ≤ −2) | CVaR 5 % | E\\|y_T\\| | fills ask / bid | events | boundary hits |
|---|---|---|---|---|---|---|---|---|
${policyRows.join('\n')}

P&L is in ticks: cash plus the liquidation value of the final inventory. CVaR 5 % is the mean of the
worst 5 % of episodes.
${
  Object.keys(run.differences).length
    ? `\nPaired differences (same episodes):\n${Object.entries(run.differences)
        .map(([k, d]) => `- ${k}: ${d.mean.toFixed(3)} ± ${d.se.toFixed(3)}`)
        .join('\n')}\n`
    : ''
}
![P&L distribution per policy](${run.chart})

${
  cmp.length
    ? `${sizeSection(
        [{ what: 'episodes per policy', ours: run.episodes, published: maxRef }],
        'the reference prototype used 40,000 episodes for policy 11 and 4,000 for the others',
        "The tolerances below combine both runs' standard errors, so they widen for a smaller run.",
      )}

## Our figures beside the reference

Abergel, Huré and Pham publish P&L histograms, not numbers. The reference below is an independent
prototype of the same model (R-const, T = 1, A1lim), described in docs/lob.md.

${comparisonTable(cmp)}`
    : `## Reference figures

No published or reference numbers exist for this configuration (they exist for the default R-const
regime only); the table above stands on its own.`
}

${runSection(run)}

${referencesSection([REFERENCES.abergelHurePham2020, REFERENCES.huangLehalleRosenbaum2015], 'docs/lob.md')}
`;
}
