/**
 * Files of an execution experiment in --out: summary.json (the result: table, checks, headline,
 * settings, plus version, machine and wall time), one SVG + PNG per figure (vega-lite → resvg),
 * .npy arrays of the learned tables, and report.md tying them together. Every file is written
 * atomically.
 */
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkMark } from '../checks.js';
import { machineInfo } from '../machine.js';
import { REFERENCES } from '../report/citations.js';
import { type Machine, mdCell, referencesSection, runSection, sizeSection } from '../report/markdown.js';
import { type ChartSpec, writeChart } from '../report/plots.js';
import { writeFileAtomic } from '../store/atomic.js';
import { writeNpy } from '../store/npy.js';
import { TABLE_SCHEMA_VERSION } from '../store/table.js';
import type { ExperimentResult, Figure, RunRecord, Series } from './experiments/index.js';
import { writeExecutionTables } from './tables.js';

/** Version of summary.json's layout (documented field by field in the README). */
export const EXECUTION_SUMMARY_SCHEMA = 2;

/** The distinct configurations that were trained: run index, budget, resolved env and learner configs. */
function armsOf(runs: readonly RunRecord[]) {
  const seen = new Map<
    string,
    { run: number; episodes: number; seeds: number; env: unknown; learner: unknown }
  >();
  for (const r of runs) {
    const key = `${r.run}/${r.episodes}/${JSON.stringify(r.env)}`;
    const a = seen.get(key);
    if (a) a.seeds++;
    else seen.set(key, { run: r.run, episodes: r.episodes, seeds: 1, env: r.env, learner: r.learner });
  }
  return [...seen.values()];
}

/** Splits a long title into lines of at most `width` characters (vega does not wrap titles). */
export function titleLines(text: string, width = 72): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

const DASHES = [
  [1, 0],
  [7, 4],
  [2, 3],
  [10, 3, 2, 3],
  [4, 4],
];
const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'cross'];

/** Series that repeat an earlier one exactly are labelled with it, so a hidden line is announced. */
function labelCoinciding(series: readonly Series[]): string[] {
  return series.map((s, i) => {
    const same = series
      .slice(0, i)
      .find(
        (o) =>
          o.x.length === s.x.length &&
          o.x.every((x, k) => x === s.x[k]) &&
          o.y.every((y, k) => Math.abs(y - (s.y[k] as number)) <= 1e-9 * (1 + Math.abs(y))),
      );
    return same ? `${s.name} (coincides with ${same.name})` : s.name;
  });
}

/** The vega-lite spec of a figure. */
export function figureSpec(f: Figure): ChartSpec {
  const base = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: titleLines(f.title), anchor: 'start' },
    width: 520,
    height: 300,
  };
  if (f.kind === 'heatmap') {
    const ordinal = (field: string) => ({ field, type: 'ordinal' }) as const;
    return {
      ...base,
      title: {
        ...base.title,
        subtitle: 'grey: a state the learner never visited (its action there is arbitrary)',
      },
      layer: [
        {
          data: { values: f.cells.filter((c) => !c.visited) },
          mark: { type: 'rect', color: '#e4e4e4' },
          encoding: {
            x: { ...ordinal('t'), title: 'time step t' },
            y: { ...ordinal('q'), title: 'inventory q (lots)', sort: 'descending' },
          },
        },
        {
          data: { values: f.cells.filter((c) => c.visited) },
          mark: 'rect',
          encoding: {
            x: ordinal('t'),
            y: { ...ordinal('q'), sort: 'descending' },
            color: {
              field: 'size',
              type: 'quantitative',
              title: ['lots per order', '(limit orders < 0)'],
              scale: { scheme: 'blueorange', domainMid: 0 },
            },
            tooltip: [{ field: 't' }, { field: 'q' }, { field: 'label', title: 'action' }],
          },
        },
        {
          data: { values: f.cells.filter((c) => c.visited) },
          mark: { type: 'text', fontSize: 8 },
          encoding: { x: ordinal('t'), y: { ...ordinal('q'), sort: 'descending' }, text: { field: 'label' } },
        },
      ],
    } as ChartSpec;
  }
  const names = labelCoinciding(f.series);
  const values = f.series.flatMap((s, i) =>
    s.x.map((x, k) => ({
      series: names[i],
      x,
      y: s.y[k],
      ...(s.lo && s.hi ? { lo: s.lo[k], hi: s.hi[k] } : {}),
    })),
  );
  const xs = values.map((v) => v.x);
  const logX = f.kind === 'curve' && f.logX === true;
  const timeAxis = f.kind === 'profile';
  const x = {
    field: 'x',
    type: 'quantitative',
    title: f.kind === 'curve' ? f.xLabel : 'time step t',
    // the axis spans the data, no further
    scale: { domain: [Math.min(...xs), Math.max(...xs)], nice: false, ...(logX ? { type: 'log' } : {}) },
    ...(timeAxis ? { axis: { tickMinStep: 1, format: 'd' } } : {}),
  };
  const scaleOf = (range: unknown[]) => ({ domain: names, range: range.slice(0, names.length) });
  const seriesEnc = {
    color: { field: 'series', type: 'nominal', title: null, scale: { domain: names } },
    strokeDash: { field: 'series', type: 'nominal', title: null, scale: scaleOf(DASHES) },
    shape: { field: 'series', type: 'nominal', title: null, scale: scaleOf(SHAPES) },
  };
  const y = {
    field: 'y',
    type: 'quantitative',
    title: f.kind === 'curve' ? f.yLabel : 'expected inventory q(t) (lots)',
    scale: { zero: false },
  };
  const layers: unknown[] = [];
  if (values.some((v) => 'lo' in v))
    layers.push({
      transform: [{ filter: 'isValid(datum.lo)' }],
      mark: { type: 'area', opacity: 0.18 },
      encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: seriesEnc.color },
    });
  layers.push({
    mark: { type: 'line', point: { size: 36, filled: true }, strokeWidth: 2 },
    encoding: { x, y, ...seriesEnc },
  });
  return {
    ...base,
    data: { values },
    layer: layers,
    config: { legend: { orient: 'bottom', direction: 'vertical', labelLimit: 0, symbolSize: 120 } },
  } as ChartSpec;
}

/** The experiment's own summary.json fields (the run session adds the envelope). */
export function experimentSummary(r: ExperimentResult): Record<string, unknown> {
  return {
    schemaVersion: EXECUTION_SUMMARY_SCHEMA,
    tableSchemaVersion: TABLE_SCHEMA_VERSION,
    experiment: r.id,
    title: r.title,
    pass: r.pass,
    verdict: r.verdict.text,
    trainingSteps: r.steps,
    settings: r.settings,
    arms: armsOf(r.runs),
    headline: r.headline,
    checks: r.checks,
    table: r.table,
  };
}

/**
 * Writes the arrays, tidy tables, figures and report.md of a result into `out` (a staging folder);
 * `run` says how the run was made, for the report.
 */
export async function writeExperiment(
  out: string,
  r: ExperimentResult,
  run: { command: string; wallSeconds: number; workers: number },
): Promise<void> {
  mkdirSync(out, { recursive: true });
  const files: string[] = [];
  for (const a of r.arrays) {
    writeNpy(join(out, `${a.name}.npy`), a.data, a.shape);
    files.push(`${a.name}.npy`);
  }
  for (const t of writeExecutionTables(out, r.id, r.runs)) files.push(basename(t.parquet), basename(t.csv));
  const charts: string[] = [];
  for (const f of r.figures) {
    await writeChart(figureSpec(f), join(out, f.name));
    files.push(`${f.name}.svg`, `${f.name}.png`);
    charts.push(f.name);
  }
  files.push('report.md', 'summary.json');
  writeFileAtomic(
    join(out, 'report.md'),
    reportMarkdown(r, charts, { ...run, machine: machineInfo(), files }),
  );
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  return String(v);
}

/** A markdown table of rows (union of keys, in first-seen order). */
export function markdownTable(rows: readonly Record<string, unknown>[]): string {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (keys.length === 0) return '';
  const head = `| ${keys.join(' | ')} |\n|${keys.map(() => '---').join('|')}|\n`;
  return head + rows.map((r) => `| ${keys.map((k) => cell(r[k])).join(' | ')} |`).join('\n');
}

export function reportMarkdown(
  r: ExperimentResult,
  charts: string[],
  run: { command: string; wallSeconds: number; workers: number; machine: Machine; files: readonly string[] },
): string {
  const checks = r.checks.length
    ? [
        '| criterion | our result | verdict |',
        '|---|---|---|',
        ...r.checks.map((c) => `| ${mdCell(c.name)} | ${mdCell(c.detail)} | ${checkMark(c)} |`),
      ].join('\n')
    : '(none: a configuration run, compared with its exact optimum only)';
  const seeds = Number(r.settings.seeds ?? 0);
  const designSeeds = Number(r.settings.designSeeds ?? 0);
  const size =
    designSeeds > 0
      ? sizeSection(
          [{ what: 'seeds per configuration', ours: seeds, published: designSeeds }],
          `the criteria below are stated for ${designSeeds} seeds per configuration`,
          'Criteria of the form "k of n seeds" are rescaled to ⌈k·seeds/n⌉, which is a weaker test on fewer seeds.',
        )
      : '';
  const headline = Object.entries(r.headline)
    .map(([k, v]) => `- **${k}**: ${v}`)
    .join('\n');
  return `# ${r.title}

Result: **${r.verdict.text}** — ${r.steps.toLocaleString('en-US')} training steps.

${size}

## Criteria

Each criterion turns a claim of the textbook treatment of Q-learning for execution into a test against
the exact dynamic-programming optimum of the same MDP (see docs/optimal-execution.md).

${checks}

## Headline
${headline}

## Table
${markdownTable(r.table)}

## Figures
${charts.map((c) => `![${c}](${c}.png)`).join('\n\n')}

## Data

\`runs.parquet\` has one row per Q-learning run (arm × seed × budget) with its exact value gap, policy
agreement, out-of-sample cost and policy statistics; \`learning_curve.parquet\` one row per run ×
checkpoint. Both also come as CSV; the columns are documented in the README.

${runSection(run)}

${referencesSection(
  [
    REFERENCES.watkinsDayan1992,
    REFERENCES.bertsimasLo1998,
    REFERENCES.almgrenChriss2000,
    REFERENCES.nevmyvakaFengKearns2006,
  ],
  'docs/optimal-execution.md',
)}
`;
}

/** The printed summary of a result. */
export function printedSummary(r: ExperimentResult): string {
  const lines = [`${r.title}: ${r.verdict.text}`];
  for (const c of r.checks) lines.push(`  ${checkMark(c)}  ${c.name}: ${c.detail}`);
  for (const [k, v] of Object.entries(r.headline)) lines.push(`  ${k}: ${v}`);
  const keys = [...new Set(r.table.flatMap((row) => Object.keys(row)))];
  if (keys.length) {
    const width = keys.map((k) => Math.max(k.length, ...r.table.map((row) => cell(row[k]).length)));
    lines.push(`  ${keys.map((k, i) => k.padStart(width[i] as number)).join('  ')}`);
    for (const row of r.table)
      lines.push(`  ${keys.map((k, i) => cell(row[k]).padStart(width[i] as number)).join('  ')}`);
  }
  return lines.join('\n');
}
