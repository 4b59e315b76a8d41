/**
 * Plots and report.md of the regret study: ln MSE(φ₁) and ln expected regret against ln iteration for
 * both algorithms (curve, 25–75 % band over seeds, slope with its 95 % CI in the legend), and a table of
 * our figures next to the paper's (spec §7).
 */
import { join } from 'node:path';
import { REFERENCES } from '../report/citations.js';
import {
  type Comparison,
  comparisonTable,
  judge,
  referencesSection,
  runSection,
  sizeSection,
} from '../report/markdown.js';
import { type ChartSpec, writeChart } from '../report/plots.js';
import { writeFileAtomic } from '../store/atomic.js';
import type { LqStudyConfig } from './config.js';
import type { StudyRun } from './run-study.js';
import type { AlgorithmResult, CheckpointRow, Quartiles, SlopeFit } from './study.js';

interface Point {
  algo: string;
  x: number;
  y: number;
  lo: number;
  hi: number;
}

const seriesLabel = (algo: string, fit: SlopeFit | null) =>
  `${algo}: slope ${fit ? `${fit.slope.toFixed(3)} [${fit.ci95[0].toFixed(3)}, ${fit.ci95[1].toFixed(3)}]` : 'n/a'}`;

function series(r: AlgorithmResult, curve: Float64Array, band: Quartiles, fit: SlopeFit | null): Point[] {
  const label = seriesLabel(r.algo, fit);
  const pts: Point[] = [];
  r.stored.position.forEach((p, j) => {
    const y = curve[j] as number,
      lo = band.q25[j] as number,
      hi = band.q75[j] as number;
    if (y > 0 && lo > 0 && hi > 0)
      pts.push({ algo: label, x: Math.log(p + 1), y: Math.log(y), lo: Math.log(lo), hi: Math.log(hi) });
  });
  return pts;
}

/** The fitted line's two ends, over the window the fit actually used. */
function fitLinePoints(r: AlgorithmResult, fit: SlopeFit | null): { algo: string; x: number; y: number }[] {
  if (!fit) return [];
  const algo = seriesLabel(r.algo, fit);
  return fit.window.map((n) => ({ algo, x: Math.log(n), y: fit.intercept + fit.slope * Math.log(n) }));
}

function chart(
  title: string,
  subtitle: string,
  yTitle: string,
  values: Point[],
  fits: { algo: string; x: number; y: number }[],
  window: readonly [number, number] | undefined,
): ChartSpec {
  const x = { field: 'x', type: 'quantitative', title: 'ln iteration' } as const;
  const color = {
    field: 'algo',
    type: 'nominal',
    title: null,
    legend: { orient: 'bottom', direction: 'vertical', labelLimit: 0 },
  } as const;
  const layers: unknown[] = [];
  if (window)
    layers.push({
      data: { values: [{ x0: Math.log(window[0]), x1: Math.log(window[1]) }] },
      mark: { type: 'rect', color: '#999', opacity: 0.12 },
      encoding: { x: { field: 'x0', type: 'quantitative' }, x2: { field: 'x1' } },
    });
  layers.push(
    {
      mark: { type: 'area', opacity: 0.22 },
      encoding: { x, y: { field: 'lo', type: 'quantitative', title: yTitle }, y2: { field: 'hi' }, color },
    },
    {
      mark: { type: 'line', strokeWidth: 2 },
      encoding: { x, y: { field: 'y', type: 'quantitative' }, color },
    },
    {
      data: { values: fits },
      mark: { type: 'line', strokeWidth: 1.5, strokeDash: [6, 4], color: 'black' },
      encoding: { x, y: { field: 'y', type: 'quantitative' }, detail: { field: 'algo' } },
    },
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle },
    width: 560,
    height: 340,
    data: { values },
    layer: layers,
  } as ChartSpec;
}

/** Writes mse.{png,svg} and regret.{png,svg}; returns the file names. */
export async function writeRegretPlots(out: string, results: AlgorithmResult[]): Promise<string[]> {
  const mse = results.flatMap((r) => series(r, r.stored.mse, r.stored.sqErr, r.slopes.lnMse));
  const regret = results.flatMap((r) => series(r, r.stored.regret, r.stored.regretBand, r.slopes.lnRegret));
  const window = results[0]?.slopes.lnMse?.window;
  const note = window
    ? `shaded: fit window [${window[0]}, ${window[1]}]; dashed: least-squares line; band: 25–75 % over seeds`
    : 'band: 25–75 % over seeds; no fit (window outside the run)';
  await writeChart(
    chart(
      'MSE of the learned gain φ₁ (mean over seeds of (φ₁ − φ₁*)²)',
      note,
      'ln MSE(φ₁)',
      mse,
      results.flatMap((r) => fitLinePoints(r, r.slopes.lnMse)),
      window,
    ),
    join(out, 'mse'),
  );
  await writeChart(
    chart(
      'Cumulative regret (model-free: mean over seeds; model-based: median)',
      note,
      'ln regret',
      regret,
      results.flatMap((r) => fitLinePoints(r, r.slopes.lnRegret)),
      window,
    ),
    join(out, 'regret'),
  );
  return ['mse.png', 'mse.svg', 'regret.png', 'regret.svg'];
}

/**
 * Published figures. "paper" is the article; "reference code" is the authors' public notebooks, whose
 * README states fitted slopes. The reference checkpoints are the reference algorithm rerun on its own
 * random stream over seeds 1–120 (mean, sd, ln MSE), see docs/lq-actor-critic.md.
 */
const REF_SEEDS = 120;
const MF_REFERENCE: Record<number, { mean: number; sd: number; lnMse: number }> = {
  2000: { mean: -1.7509, sd: 0.151, lnMse: -2.47 },
  5000: { mean: -1.8135, sd: 0.113, lnMse: -3.05 },
  10000: { mean: -1.8551, sd: 0.093, lnMse: -3.52 },
  20000: { mean: -1.8876, sd: 0.083, lnMse: -3.94 },
  50000: { mean: -1.9221, sd: 0.07, lnMse: -4.51 },
  100000: { mean: -1.9369, sd: 0.068, lnMse: -4.76 },
  200000: { mean: -1.9508, sd: 0.062, lnMse: -5.08 },
};
const MB_REFERENCE: Record<number, { mean: number; sd: number; lnMse: number; atClamp: number }> = {
  10: { mean: -1.718, sd: 0.558, lnMse: -0.95, atClamp: 46 },
  100: { mean: -1.841, sd: 0.38, lnMse: -1.78, atClamp: 33 },
  500: { mean: -1.928, sd: 0.226, lnMse: -2.89, atClamp: 30 },
  1000: { mean: -1.934, sd: 0.213, lnMse: -3.01, atClamp: 31 },
  2000: { mean: -1.943, sd: 0.197, lnMse: -3.17, atClamp: 29 },
};

const f = (x: number, d: number) => x.toFixed(d).replace('-', '−');

function checkpointTable(r: AlgorithmResult, seeds: number): string {
  const ref = r.algo === 'model-free' ? MF_REFERENCE : MB_REFERENCE;
  const rows = r.checkpoints.map((c: CheckpointRow) => {
    const e = ref[c.iteration];
    const refCells = e
      ? `${f(e.mean, 4)} / ${f(e.sd, 3)} / ${f(e.lnMse, 2)}${'atClamp' in e ? ` / ${e.atClamp}/${REF_SEEDS}` : ''}`
      : '';
    return `| ${c.iteration} | ${f(c.meanPhi1, 4)} | ${f(c.sdPhi1, 3)} | ${f(c.lnMse, 2)} | ${f(c.meanRegret, 1)} | ${f(c.medianRegret, 1)} | ${c.atClampLo}/${seeds} | ${c.meanPhi1OffClamp === null ? '–' : f(c.meanPhi1OffClamp, 3)} | ${refCells} |`;
  });
  const refHead =
    r.algo === 'model-free'
      ? `reference, ${REF_SEEDS} seeds: mean / sd / ln MSE`
      : `reference code, ${REF_SEEDS} seeds: mean / sd / ln MSE / at −2.2`;
  return [
    `| iteration | mean φ₁ | sd φ₁ | ln MSE | mean regret | median regret | seeds at −2.2 | mean φ₁ off the clamp | ${refHead} |`,
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

const slopeText = (s: SlopeFit | null) =>
  s ? `${f(s.slope, 4)} [${f(s.ci95[0], 4)}, ${f(s.ci95[1], 4)}]` : 'n/a';

/** Our figures beside the published ones, each with its tolerance and verdict. */
export function comparisons(cfg: LqStudyConfig, results: readonly AlgorithmResult[]): Comparison[] {
  const S = cfg.seeds;
  const full = S >= REF_SEEDS; // fixed tolerances were set for a 120-seed run
  const rows: Comparison[] = [];
  const at = (r: AlgorithmResult, n: number) => r.checkpoints.find((c) => c.iteration === n);
  const fixedNote = full ? undefined : `tolerance set for ${REF_SEEDS} seeds`;
  for (const r of results) {
    if (r.algo === 'model-free') {
      for (const [n, e] of Object.entries(MF_REFERENCE)) {
        const c = at(r, Number(n));
        if (!c || S < 2) continue;
        // 3 combined standard errors of the two means (ours over S seeds, the reference's over 120)
        const tol = 3 * Math.sqrt((e.sd * e.sd) / REF_SEEDS + (c.sdPhi1 * c.sdPhi1) / S);
        rows.push({
          quantity: `model-free mean φ₁ at k = ${n}`,
          ours: f(c.meanPhi1, 4),
          published: `${f(e.mean, 4)} (reference)`,
          tolerance: `± ${tol.toFixed(3)} (3 combined SE)`,
          pass: judge(c.meanPhi1, e.mean, tol),
        });
      }
      const c200 = at(r, 200_000);
      if (c200) {
        rows.push({
          quantity: 'model-free ln MSE at k = 200000',
          ours: f(c200.lnMse, 2),
          published: '−5.08 (reference)',
          tolerance: '± 0.64',
          pass: judge(c200.lnMse, -5.08, 0.64, full),
          ...(fixedNote ? { note: fixedNote } : {}),
        });
        rows.push({
          quantity: 'model-free ln mean regret at k = 200000',
          ours: f(Math.log(c200.meanRegret), 3),
          published: '10.392 (reference)',
          tolerance: '± 0.01',
          pass: judge(Math.log(c200.meanRegret), 10.392, 0.01, full),
          ...(fixedNote ? { note: fixedNote } : {}),
        });
      }
      const slopesJudged = full && cfg.iterations >= 200_000 && cfg.fitFrom === 5000 && cfg.fitTo === 200_000;
      const slopeNote = slopesJudged
        ? undefined
        : `tolerance set for ${REF_SEEDS} seeds fitted on [5000, 200000]`;
      rows.push({
        quantity: 'model-free ln MSE slope',
        ours: slopeText(r.slopes.lnMse),
        published: '−0.50 (reference code README; −0.5035 reference method)',
        tolerance: '± 0.29',
        pass: r.slopes.lnMse ? judge(r.slopes.lnMse.slope, -0.5035, 0.29, slopesJudged) : null,
        ...(slopeNote ? { note: slopeNote } : {}),
      });
      rows.push({
        quantity: 'model-free ln regret slope',
        ours: slopeText(r.slopes.lnRegret),
        published: '0.73 (paper); 0.7268 reference method',
        tolerance: '± 0.008',
        pass: r.slopes.lnRegret ? judge(r.slopes.lnRegret.slope, 0.7268, 0.008, slopesJudged) : null,
        ...(slopeNote ? { note: slopeNote } : {}),
      });
    } else {
      const c = at(r, 2000);
      if (c) {
        const share = c.atClampLo / S;
        rows.push({
          quantity: 'model-based share of seeds at −2.2, n = 2000',
          ours: `${share.toFixed(3)} (${c.atClampLo}/${S})`,
          published: '0.24 (29/120, reference code)',
          tolerance: '± 0.17',
          pass: judge(share, 0.24, 0.17, full),
          ...(fixedNote ? { note: fixedNote } : {}),
        });
        rows.push({
          quantity: 'model-based mean φ₁ off the clamp, n = 2000',
          ours: c.meanPhi1OffClamp === null ? 'n/a' : f(c.meanPhi1OffClamp, 3),
          published: '−1.861 (reference code)',
          tolerance: '± 0.07',
          pass: c.meanPhi1OffClamp === null ? false : judge(c.meanPhi1OffClamp, -1.861, 0.07, full),
          ...(fixedNote ? { note: fixedNote } : {}),
        });
      }
      rows.push({
        quantity: 'model-based ln MSE slope',
        ours: slopeText(r.slopes.lnMse),
        published: '−0.09 (reference code README)',
        tolerance: '—',
      });
      rows.push({
        quantity: 'model-based ln regret slope',
        ours: slopeText(r.slopes.lnRegret),
        published: '0.88 (paper); 0.83 (reference code README)',
        tolerance: '—',
      });
    }
  }
  return rows;
}

/** Writes report.md. */
export function writeRegretReport(cfg: LqStudyConfig, run: StudyRun, plots: string[], dir: string): string {
  const windows = run.results
    .map((r) => {
      const w = r.slopes.lnMse?.window ?? r.slopes.lnRegret?.window;
      return w ? `${r.algo} [${w[0]}, ${w[1]}]` : `${r.algo}: no fit (window outside the run)`;
    })
    .join(', ');
  const clipped = run.results.some((r) => {
    const w = r.slopes.lnMse?.window;
    return w && (w[0] !== cfg.fitFrom || w[1] !== cfg.fitTo);
  });
  const text = `# LQ actor–critic: regret and MSE study

Learning the gain φ₁ of a Gaussian feedback policy for a one-dimensional linear–quadratic diffusion,
${run.results.map((r) => (r.algo === 'model-free' ? 'with the model-free actor–critic (Algorithm 1 of the paper)' : "with the model-based plug-in benchmark (the paper's Algorithm 2)")).join(' and ')},
over ${cfg.seeds} seeds × ${cfg.iterations.toLocaleString('en-US')} iterations.
Slopes are least-squares fits of ln MSE and ln regret against ln iteration over the window actually used:
${windows}${clipped ? ` (requested [${cfg.fitFrom}, ${cfg.fitTo}], clipped to the run)` : ''}.
Intervals are 95 % percentile intervals of a bootstrap over seeds (400 resamples).

${sizeSection(
  [
    { what: 'seeds', ours: cfg.seeds, published: REF_SEEDS },
    { what: 'iterations per seed', ours: cfg.iterations, published: 200_000 },
  ],
  'the paper reports 120 seeds (400,000 iterations in its plots); the reference figures below are 120 seeds × 200,000 iterations',
)}

## Our figures beside the published ones

${comparisonTable(comparisons(cfg, run.results))}

Regret is the mean over seeds for the model-free algorithm (k = 0 … N, plotted at ln(k+1)) and the
median over seeds for the model-based one (n = 1 … N, at ln n), following the reference code.
The model-based reference figures come from the reference code's local optimiser; ours use a global
closed-form solve of the same least-squares problem, which agrees in distribution, not seed by seed.

${run.results.map((r) => `## ${r.algo}, at the checkpoints\n\n${checkpointTable(r, cfg.seeds)}\n`).join('\n')}
${plots.length ? '![ln MSE against ln iteration](mse.png)\n\n![ln regret against ln iteration](regret.png)\n' : ''}
${runSection({
  command: run.command,
  machine: run.machine,
  wallSeconds: run.wallSeconds,
  files: [...run.results.flatMap((r) => r.files), ...run.tables, ...plots, 'report.md', 'summary.json'],
})}
- speed: ${(run.stepsPerSecond / 1e6).toFixed(1)} M Euler steps/s (${((run.summary.eulerSteps as number) / 1e9).toFixed(2)}·10⁹ steps)

${referencesSection([REFERENCES.huangJiaZhou2024], 'docs/lq-actor-critic.md')}
`;
  writeFileAtomic(join(dir, 'report.md'), text);
  return 'report.md';
}
