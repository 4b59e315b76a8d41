/**
 * The sweep's report: report.md (what ran, what failed, the headline metrics per grid point), one
 * plot per (headline metric, swept parameter) with 95 % CI bars, a heat-map per headline metric
 * when the grid has two axes, and report.html, which shows the same charts interactively offline.
 */
import { join } from 'node:path';
import type { ChartSpec } from '../report/plots.js';
import { writeChart } from '../report/plots.js';
import { writeFileAtomic } from '../store/atomic.js';
import { writeHtmlReport } from './html.js';
import type { SweepPlan } from './spec.js';
import type { MetricSpec } from './study.js';

/** Statistics of one metric at one point over its seeds (mean, sample sd, SE, t-based 95 % CI). */
export interface PointStats {
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  readonly se: number;
  readonly lo: number;
  readonly hi: number;
}

export interface ReportInput {
  readonly plan: SweepPlan;
  readonly params: readonly { path: string; column: string; numeric: boolean }[];
  readonly metrics: readonly MetricSpec[];
  readonly summaries: ReadonlyMap<number, ReadonlyMap<string, PointStats>>;
  readonly failures: ReadonlyMap<number, string>;
  readonly done: number;
  /** PNG/SVG plots and report.html (skipped for quick tables). */
  readonly plots: boolean;
}

const fmt = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(5)).toString() : '—');

/** One datum per finished run: its parameters and the headline metrics' statistics. */
function chartRows(r: ReportInput, headline: readonly string[]): Record<string, unknown>[] {
  return r.plan.runs
    .filter((run) => r.summaries.get(run.index)?.get(headline[0] ?? '')?.n)
    .map((run) => {
      const row: Record<string, unknown> = { run: run.index };
      r.params.forEach((p, j) => {
        const v = run.point[j]?.[1];
        row[p.column] = p.numeric ? v : typeof v === 'string' ? v : JSON.stringify(v);
      });
      for (const m of headline) {
        const s = r.summaries.get(run.index)?.get(m);
        if (!s) continue;
        row[`${m}_mean`] = Number.isFinite(s.mean) ? s.mean : null;
        row[`${m}_lo`] = Number.isFinite(s.lo) ? s.lo : null;
        row[`${m}_hi`] = Number.isFinite(s.hi) ? s.hi : null;
        row[`${m}_n`] = s.n;
      }
      return row;
    });
}

function logScale(values: unknown[]): boolean {
  const v = values.filter((x): x is number => typeof x === 'number');
  return v.length > 1 && v.every((x) => x > 0) && Math.max(...v) / Math.min(...v) >= 20;
}

/** A heat-map axis: numbers to 3 significant digits, other values (lists) written in full. */
const heatAxis = (p: { numeric: boolean }) => (p.numeric ? { format: '.3g' } : { labelLimit: 0 });

/** The charts: metric against each parameter (colour = the other parameters), heat-maps for 2-D grids. */
export function sweepCharts(r: ReportInput): { name: string; title: string; spec: ChartSpec }[] {
  const headline = r.plan.study.headline.filter((m) => r.metrics.some((x) => x.name === m));
  const rows = chartRows(r, headline);
  const charts: { name: string; title: string; spec: ChartSpec }[] = [];
  if (!rows.length) return charts;
  for (const m of headline) {
    for (const p of r.params) {
      const others = r.params.filter((q) => q !== p);
      const color = others[0];
      const x = {
        field: p.column,
        type: p.numeric ? 'quantitative' : 'nominal',
        title: p.path,
        ...(p.numeric ? {} : { axis: { labelLimit: 0 } }),
        ...(p.numeric && logScale(rows.map((row) => row[p.column])) ? { scale: { type: 'log' } } : {}),
      };
      const tooltip = [
        ...r.params.map((q) => ({ field: q.column, title: q.path })),
        { field: `${m}_mean`, title: `${m} mean`, format: '.5g' },
        { field: `${m}_lo`, title: '95 % CI low', format: '.5g' },
        { field: `${m}_hi`, title: '95 % CI high', format: '.5g' },
        { field: `${m}_n`, title: 'seeds' },
      ];
      // list-valued parameters (an action grid) are long labels: never cut them short
      const colorEnc = color
        ? { color: { field: color.column, type: 'nominal', title: color.path, legend: { labelLimit: 0 } } }
        : {};
      // a third or further axis: one line per combination (point shapes tell the second apart), never
      // a line joining points of different grid points
      const shape = others[1];
      const splitEnc = shape
        ? { detail: others.slice(1).map((q) => ({ field: q.column, type: 'nominal' })) }
        : {};
      const shapeEnc = shape
        ? { shape: { field: shape.column, type: 'nominal', title: shape.path, legend: { labelLimit: 0 } } }
        : {};
      charts.push({
        name: `${m}-vs-${p.column}`,
        title: `${m} against ${p.path}`,
        spec: {
          $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
          title: `${m} against ${p.path} (mean, 95 % CI over seeds)`,
          width: 420,
          height: 260,
          data: { values: rows },
          encoding: { x, ...colorEnc, ...splitEnc },
          layer: [
            {
              mark: { type: 'line', point: true },
              encoding: {
                y: { field: `${m}_mean`, type: 'quantitative', title: m, scale: { zero: false } },
                ...shapeEnc,
                tooltip,
              },
            },
            {
              mark: 'rule',
              encoding: { y: { field: `${m}_lo`, type: 'quantitative' }, y2: { field: `${m}_hi` } },
            },
          ],
        } as ChartSpec,
      });
    }
    const gridPaths = Object.keys(r.plan.spec.grid);
    if (gridPaths.length === 2) {
      const [a, b] = gridPaths.map((g) => r.params.find((p) => p.path === g)) as [
        ReportInput['params'][number],
        ReportInput['params'][number],
      ];
      charts.push({
        name: `${m}-heatmap`,
        title: `${m} over ${a.path} × ${b.path}`,
        spec: {
          $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
          title: `${m}: mean over seeds on the ${a.path} × ${b.path} grid`,
          width: 360,
          height: 300,
          data: { values: rows },
          mark: 'rect',
          encoding: {
            x: { field: a.column, type: 'ordinal', title: a.path, axis: heatAxis(a) },
            y: { field: b.column, type: 'ordinal', title: b.path, axis: heatAxis(b) },
            color: { field: `${m}_mean`, type: 'quantitative', title: m },
            tooltip: [
              { field: a.column, title: a.path },
              { field: b.column, title: b.path },
              { field: `${m}_mean`, title: `${m} mean`, format: '.5g' },
              { field: `${m}_lo`, title: '95 % CI low', format: '.5g' },
              { field: `${m}_hi`, title: '95 % CI high', format: '.5g' },
              { field: `${m}_n`, title: 'seeds' },
            ],
          },
        } as ChartSpec,
      });
    }
  }
  return charts;
}

export async function writeSweepReport(dir: string, r: ReportInput): Promise<string[]> {
  const { plan } = r;
  const headline = plan.study.headline.filter((m) => r.metrics.some((x) => x.name === m));
  const charts = r.plots ? sweepCharts(r) : [];
  const files: string[] = [];
  for (const c of charts) {
    const out = await writeChart(c.spec, join(dir, c.name));
    files.push(out.png, out.svg);
  }
  const lines = [
    `# Sweep ${plan.spec.name ?? ''} (study ${plan.study.name})`,
    '',
    plan.spec.description ?? plan.study.description,
    '',
    `- runs: ${plan.runs.length} (${r.done} finished, ${r.failures.size} failed, ${plan.runs.length - r.done - r.failures.size} not run yet)`,
    `- seeds per run: ${plan.seeds.count} (first ${plan.seeds.first}); streams: ${plan.spec.streams === 'common' ? 'common random numbers (seed i draws the same stream at every point)' : 'independent per grid point'}`,
    `- swept: ${r.params.map((p) => `\`${p.path}\``).join(', ') || 'nothing (one run)'}`,
    '- tables: `runs.parquet` (one row per run × seed), `points.parquet` (one row per grid point: n, mean, sd, SE, 95 % CI of each metric), and the same as CSV',
    '- CI: mean ± t₀.₉₇₅(n−1)·SE over the seeds of the point',
    '',
    '## Headline metrics per grid point',
    '',
    `| run | ${r.params.map((p) => p.path).join(' | ')} | ${headline.map((m) => `${m} (95 % CI)`).join(' | ')} |`,
    `|---|${r.params.map(() => '---|').join('')}${headline.map(() => '---|').join('')}`,
  ];
  const shown = plan.runs.slice(0, 200);
  for (const run of shown) {
    const s = r.summaries.get(run.index);
    const cells = headline.map((m) => {
      const st = s?.get(m);
      return st?.n
        ? `${fmt(st.mean)} [${fmt(st.lo)}, ${fmt(st.hi)}]`
        : r.failures.has(run.index)
          ? 'failed'
          : '—';
    });
    lines.push(
      `| ${run.index} | ${run.point.map(([, v]) => (typeof v === 'number' ? fmt(v) : JSON.stringify(v))).join(' | ')} | ${cells.join(' | ')} |`,
    );
  }
  if (plan.runs.length > shown.length)
    lines.push('', `(first ${shown.length} of ${plan.runs.length} runs; all are in points.parquet)`);
  if (r.failures.size) {
    lines.push('', '## Failed runs', '');
    for (const [run, err] of [...r.failures].sort((a, b) => a[0] - b[0])) lines.push(`- run ${run}: ${err}`);
  }
  if (charts.length) {
    lines.push(
      '',
      '## Plots',
      '',
      'Interactive versions (hover for the grid point and its numbers): `report.html`.',
      '',
    );
    for (const c of charts) lines.push(`### ${c.title}`, '', `![${c.title}](${c.name}.png)`, '');
  }
  writeFileAtomic(join(dir, 'report.md'), `${lines.join('\n')}\n`);
  files.push(join(dir, 'report.md'));
  if (r.plots) files.push(writeHtmlReport(dir, `Sweep ${plan.spec.name ?? plan.study.name}`, charts));
  return files;
}
