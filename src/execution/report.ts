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
import { type Machine, referencesSection, runSection, sizeSection } from '../report/markdown.js';
import { type ChartSpec, writeChart } from '../report/plots.js';
import { writeFileAtomic } from '../store/atomic.js';
import { writeNpy } from '../store/npy.js';
import { TABLE_SCHEMA_VERSION } from '../store/table.js';
import type { ExperimentResult, Figure, RunRecord } from './experiments/index.js';
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

/** The vega-lite spec of a figure. */
export function figureSpec(f: Figure): ChartSpec {
  const base = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: f.title,
    width: 520,
    height: 300,
  };
  if (f.kind === 'heatmap') {
    return {
      ...base,
      data: { values: f.cells },
      layer: [
        {
          mark: 'rect',
          encoding: {
            x: { field: 't', type: 'ordinal', title: 'time step t' },
            y: { field: 'q', type: 'ordinal', title: 'inventory q', sort: 'descending' },
            color: {
              field: 'size',
              type: 'quantitative',
              title: 'lots (LO < 0)',
              scale: { scheme: 'blueorange', domainMid: 0 },
            },
            tooltip: [{ field: 't' }, { field: 'q' }, { field: 'label', title: 'action' }],
          },
        },
        {
          mark: { type: 'text', fontSize: 8 },
          encoding: {
            x: { field: 't', type: 'ordinal' },
            y: { field: 'q', type: 'ordinal', sort: 'descending' },
            text: { field: 'label' },
          },
        },
      ],
    } as ChartSpec;
  }
  const values = f.series.flatMap((s) => s.x.map((x, i) => ({ series: s.name, x, y: s.y[i] })));
  const logX = f.kind === 'curve' && f.logX === true;
  return {
    ...base,
    data: { values },
    mark: { type: 'line', point: f.kind === 'profile' },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: f.kind === 'curve' ? f.xLabel : 'time step t',
        ...(logX ? { scale: { type: 'log' } } : {}),
      },
      y: {
        field: 'y',
        type: 'quantitative',
        title: f.kind === 'curve' ? f.yLabel : 'expected inventory q(t)',
        scale: { zero: false },
      },
      color: { field: 'series', type: 'nominal', title: null },
    },
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
        ...r.checks.map((c) => `| ${c.name} | ${c.detail} | ${checkMark(c)} |`),
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
