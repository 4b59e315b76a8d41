/**
 * Building blocks every study's report.md shares: the references, how the run was made (exact command,
 * machine, wall time), its size against the published run's (with a warning when smaller), and a
 * comparison table of our figures beside the published ones with a tolerance and a verdict.
 */
import { type Check, checkMark, verdict } from '../checks.js';
import { citation, type Reference } from './citations.js';

export interface Machine {
  readonly cores: number;
  readonly cpu: string;
  readonly node: string;
  readonly platform: string;
}

export function referencesSection(refs: readonly Reference[], doc: string): string {
  return [
    '## References',
    '',
    ...refs.map((r) => `- ${citation(r)}`),
    '',
    `The model, the algorithm as run here and every convention are explained in \`${doc}\` (shipped with the package).`,
  ].join('\n');
}

export function runSection(run: {
  command: string;
  machine: Machine;
  wallSeconds: number;
  workers?: number;
  files: readonly string[];
}): string {
  const m = run.machine;
  return [
    '## How this run was made',
    '',
    `- command: \`${run.command}\``,
    `- machine: ${m.cores} cores, ${m.cpu}, Node ${m.node}, ${m.platform}${run.workers ? `; ${run.workers} worker threads` : ''}`,
    `- wall time: ${run.wallSeconds.toFixed(1)} s`,
    `- files: ${run.files.join(', ')}`,
  ].join('\n');
}

export interface SizeItem {
  /** What is counted, e.g. 'seeds', 'iterations per seed', 'episodes per policy'. */
  readonly what: string;
  readonly ours: number;
  readonly published: number;
}

/** A table of this run's size against the published run's, with a warning when any count is smaller. */
export function sizeSection(
  items: readonly SizeItem[],
  publishedRun: string,
  whenSmaller = 'Tolerances below that were set for the published size are not judged; the others scale with the run.',
): string {
  const rows = items.map(
    (i) => `| ${i.what} | ${i.ours.toLocaleString('en-US')} | ${i.published.toLocaleString('en-US')} |`,
  );
  const smaller = items.filter((i) => i.ours < i.published);
  const warning = smaller.length
    ? `\n\n> **Warning: this run is smaller than the published one** (${smaller
        .map((i) => `${i.what}: ${i.ours.toLocaleString('en-US')} vs ${i.published.toLocaleString('en-US')}`)
        .join('; ')}). ${whenSmaller}`
    : '';
  return (
    [
      '## Run size',
      '',
      `Published run: ${publishedRun}.`,
      '',
      '| | this run | published |',
      '|---|---|---|',
      ...rows,
    ].join('\n') + warning
  );
}

/**
 * One figure of ours beside the published one. With a published tolerance it is a check in the one
 * pass/fail vocabulary (src/checks.ts); without one it is shown for information only.
 */
export interface Comparison {
  readonly quantity: string;
  readonly ours: string;
  readonly published: string;
  /** The stated tolerance, e.g. '± 0.024', or '—' when none is published. */
  readonly tolerance: string;
  /** Within the tolerance or not; null: not judged (the tolerance needs a run this size lacks); absent: no tolerance. */
  readonly pass?: boolean | null;
  readonly note?: string;
}

/** |ours − published| ≤ tol, or null (skipped) when the tolerance needs a run this size lacks. */
export function judge(ours: number, published: number, tol: number, applies = true): boolean | null {
  if (!applies) return null;
  if (!Number.isFinite(ours)) return false;
  return Math.abs(ours - published) <= tol;
}

/** The compared figures that carry a tolerance, as checks. */
export function comparisonChecks(rows: readonly Comparison[]): Check[] {
  return rows.flatMap((r) =>
    r.pass === undefined
      ? []
      : [{ name: r.quantity, pass: r.pass, detail: `${r.ours} vs ${r.published} (${r.tolerance})` }],
  );
}

/** Text for a Markdown table cell: a '|' inside it (as in |x|) would end the cell, so it is escaped. */
export function mdCell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The comparison table, headed by the checks' verdict (`PASS (n checked, m skipped)`). */
export function comparisonTable(rows: readonly Comparison[]): string {
  const mark = (r: Comparison) =>
    r.pass === undefined ? 'no tolerance' : checkMark({ name: r.quantity, pass: r.pass, detail: '' });
  const body = rows.map(
    (r) =>
      `| ${mdCell(r.quantity)} | ${r.ours} | ${r.published} | ${r.tolerance} | ${mark(r)}${r.note ? ` (${mdCell(r.note)})` : ''} |`,
  );
  const head = [`Result: **${verdict(comparisonChecks(rows)).text}**`, ''];
  return [
    ...head,
    '| quantity | ours | published | tolerance | verdict |',
    '|---|---|---|---|---|',
    ...body,
  ].join('\n');
}
