/**
 * Files of an execution experiment in --out: summary.json (the result: table, checks, headline,
 * settings, plus version, machine and wall time), one SVG + PNG per figure (vega-lite → resvg),
 * .npy arrays of the learned tables, and report.md tying them together. Every file is written
 * atomically.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ChartSpec, writeChart } from '../report/plots.js';
import { writeFileAtomic } from '../store/atomic.js';
import { writeNpy } from '../store/npy.js';
import type { ExperimentResult, Figure } from './experiments.js';

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
    experiment: r.id,
    title: r.title,
    pass: r.pass,
    trainingSteps: r.steps,
    settings: r.settings,
    headline: r.headline,
    checks: r.checks,
    table: r.table,
  };
}

/** Writes the arrays, figures and report.md of a result into `out` (a staging folder). */
export async function writeExperiment(out: string, r: ExperimentResult): Promise<void> {
  mkdirSync(out, { recursive: true });
  for (const a of r.arrays) writeNpy(join(out, `${a.name}.npy`), a.data, a.shape);
  const charts: string[] = [];
  for (const f of r.figures) {
    await writeChart(figureSpec(f), join(out, f.name));
    charts.push(f.name);
  }
  writeFileAtomic(join(out, 'report.md'), reportMarkdown(r, charts));
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

export function reportMarkdown(r: ExperimentResult, charts: string[]): string {
  const checks = r.checks
    .map((c) => `- ${c.pass === null ? '⏭ skipped' : c.pass ? '✅' : '❌'} ${c.name} — ${c.detail}`)
    .join('\n');
  const headline = Object.entries(r.headline)
    .map(([k, v]) => `- **${k}**: ${v}`)
    .join('\n');
  return `# ${r.title}

Result: **${r.pass ? 'all criteria pass' : 'some criteria fail'}** — ${r.steps.toLocaleString('en-US')} training steps.

## Criteria (spec §5)
${checks || '- (none: a configuration run)'}

## Headline
${headline}

## Table
${markdownTable(r.table)}

## Figures
${charts.map((c) => `![${c}](${c}.png)`).join('\n\n')}
`;
}

/** The printed summary of a result. */
export function printedSummary(r: ExperimentResult): string {
  const lines = [`${r.title}: ${r.pass ? 'PASS' : 'FAIL'}`];
  for (const c of r.checks)
    lines.push(`  ${c.pass === null ? 'skip' : c.pass ? ' ok ' : 'FAIL'}  ${c.name}: ${c.detail}`);
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
