/**
 * `sweep collect`: the store → tidy tables. runs.parquet has one row per (run, seed): the run, its
 * swept parameters, the seed, then the study's per-seed metrics; points.parquet one row per run (grid
 * point): for each metric the seeds counted, mean, sd, SE and a Student-t 95 % CI. Rows are in run
 * order then seed order, whatever order the store's records were written in, so any sharding, worker
 * count or queue gives the same bytes. Then report.md, plots and report.html.
 */
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { codeVersion } from '../machine.js';
import { t975 } from '../stats.js';
import { type ColumnSpec, writeTable } from '../store/table.js';
import { type PointStats, writeSweepReport } from './report.js';
import { planSweep, type RunPlan, type SweepPlan, selectMetrics } from './spec.js';
import { decodeValue, type OkRecord, readHeader, readRecords, sweepId } from './store.js';
import type { MetricSpec, StudyRegistry } from './study.js';

export interface CollectResult {
  readonly runs: number;
  readonly failed: number;
  readonly missing: number;
  readonly rows: number;
  readonly files: string[];
}

/** Column name of a config path: `modelFree.lrPower` → `model_free_lr_power`. */
export function paramColumn(path: string): string {
  return `p_${path
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toLowerCase()}`;
}

/** Mean, sample sd, SE and the t-based 95 % CI of the finite values; null statistics when undefined. */
export function pointStats(xs: readonly number[]): PointStats {
  const v = xs.filter(Number.isFinite);
  const n = v.length;
  const mean = n ? v.reduce((a, b) => a + b, 0) / n : Number.NaN;
  const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : Number.NaN;
  const se = sd / Math.sqrt(n);
  const h = n > 1 ? t975(n - 1) * se : Number.NaN;
  return { n, mean, sd, se, lo: mean - h, hi: mean + h };
}

const nullIfNaN = (x: number) => (Number.isFinite(x) ? x : null);

interface ParamColumn {
  readonly path: string;
  readonly column: string;
  readonly type: 'f64' | 'string' | 'bool';
  value(run: RunPlan): number | string | boolean;
}

function paramColumns(plan: SweepPlan): ParamColumn[] {
  return plan.params.map((path, j) => {
    const values = plan.runs.map((r) => r.point.find(([p]) => p === path)?.[1]);
    const type = values.every((v) => typeof v === 'number')
      ? 'f64'
      : values.every((v) => typeof v === 'boolean')
        ? 'bool'
        : 'string';
    const value = (run: RunPlan) => {
      const v = run.point[j]?.[1];
      return type === 'string' ? (typeof v === 'string' ? v : JSON.stringify(v)) : (v as number | boolean);
    };
    return { path, column: paramColumn(path), type, value };
  });
}

/** The plan a store was made for, re-expanded with this code (refused if the code version moved). */
export function storePlan(dir: string, registry: StudyRegistry): SweepPlan {
  const header = readHeader(dir);
  const plan = planSweep(header.spec, registry, codeVersion());
  if (sweepId(plan, codeVersion()) !== header.sweepId)
    throw new UsageError(
      `${dir}: the store was made by another quantrl version (sweep id ${header.sweepId})`,
    );
  return plan;
}

export async function collectStore(
  dir: string,
  registry: StudyRegistry,
  opts: { plots: boolean } = { plots: true },
): Promise<CollectResult> {
  const plan = storePlan(dir, registry);
  const byRun = new Map<number, OkRecord>();
  const failures = new Map<number, string>();
  for await (const r of readRecords(dir)) {
    if (r.status === 'ok') {
      byRun.set(r.run, r);
      failures.delete(r.run);
    } else if (!byRun.has(r.run)) failures.set(r.run, r.error);
  }
  const done = plan.runs.filter((r) => byRun.has(r.index));
  // Metric columns: every kept metric of any finished run, in the order the runs declare them.
  const metricOrder = new Map<string, MetricSpec>();
  for (const run of done)
    for (const m of selectMetrics(plan.study.metrics(run.config), plan.spec.metrics))
      if (!metricOrder.has(m.name)) metricOrder.set(m.name, m);
  const metrics = [...metricOrder.values()];
  const params = paramColumns(plan);
  const paramSpecs: ColumnSpec[] = params.map((p) => ({
    name: p.column,
    type: p.type,
    unit: '',
    doc: `swept config path ${p.path}`,
  }));
  const idCols: ColumnSpec[] = [
    { name: 'run', type: 'i32', unit: '', doc: 'run index in the expanded sweep' },
    {
      name: 'run_id',
      type: 'string',
      unit: '',
      doc: 'hash of the run (study, config, seeds, streams, code version)',
    },
  ];

  // runs table, column-major
  const cols: Record<string, unknown[]> = { run: [], run_id: [], seed: [] };
  for (const p of params) cols[p.column] = [];
  for (const m of metrics) cols[m.name] = [];
  const perRun = new Map<number, Map<string, number[]>>();
  for (const run of done) {
    const rec = byRun.get(run.index) as OkRecord;
    const where = new Map(rec.metrics.map((name, j) => [name, j]));
    const values = new Map<string, number[]>(metrics.map((m) => [m.name, []]));
    rec.values.forEach((row, s) => {
      (cols.run as unknown[]).push(run.index);
      (cols.run_id as unknown[]).push(run.runId);
      for (const p of params) (cols[p.column] as unknown[]).push(p.value(run));
      (cols.seed as unknown[]).push(rec.seeds[0] + s);
      for (const m of metrics) {
        const j = where.get(m.name);
        const v = j === undefined ? Number.NaN : decodeValue(row[j] as number | string);
        (cols[m.name] as unknown[]).push(nullIfNaN(v));
        values.get(m.name)?.push(v);
      }
    });
    perRun.set(run.index, values);
  }
  const runsTable = writeTable(
    dir,
    {
      name: 'runs',
      doc: `one row per (run, seed) of sweep ${plan.spec.name ?? plan.study.name}`,
      columns: [
        ...idCols,
        ...paramSpecs,
        {
          name: 'seed',
          type: 'i32',
          unit: '',
          doc: 'seed index (its stream key depends on the streams mode)',
        },
        ...metrics.map((m) => ({ ...m, type: 'f64' as const, nullable: true })),
      ],
    },
    cols as never,
  );

  // points table: every run of the plan, finished or not
  const stats = ['n', 'mean', 'sd', 'se', 'ci95_lo', 'ci95_hi'] as const;
  const pcols: Record<string, unknown[]> = { run: [], run_id: [], status: [], error: [] };
  for (const p of params) pcols[p.column] = [];
  for (const m of metrics) for (const s of stats) pcols[`${m.name}_${s}`] = [];
  const summaries = new Map<number, Map<string, PointStats>>();
  for (const run of plan.runs) {
    const values = perRun.get(run.index);
    const status = values ? 'ok' : failures.has(run.index) ? 'failed' : 'missing';
    (pcols.run as unknown[]).push(run.index);
    (pcols.run_id as unknown[]).push(run.runId);
    (pcols.status as unknown[]).push(status);
    (pcols.error as unknown[]).push(failures.get(run.index) ?? null);
    for (const p of params) (pcols[p.column] as unknown[]).push(p.value(run));
    const sums = new Map<string, PointStats>();
    for (const m of metrics) {
      const st = pointStats(values?.get(m.name) ?? []);
      sums.set(m.name, st);
      const cells = [st.n, st.mean, st.sd, st.se, st.lo, st.hi];
      stats.forEach((s, k) => {
        (pcols[`${m.name}_${s}`] as unknown[]).push(k === 0 ? cells[0] : nullIfNaN(cells[k] as number));
      });
    }
    summaries.set(run.index, sums);
  }
  const pointsTable = writeTable(
    dir,
    {
      name: 'points',
      doc: `one row per grid point (run) of sweep ${plan.spec.name ?? plan.study.name}: statistics over its seeds`,
      columns: [
        ...idCols,
        {
          name: 'status',
          type: 'string',
          unit: '',
          doc: "'ok', 'failed' (see error) or 'missing' (not run yet)",
        },
        { name: 'error', type: 'string', unit: '', doc: 'why the run failed', nullable: true },
        ...paramSpecs,
        ...metrics.flatMap((m) =>
          stats.map(
            (s): ColumnSpec =>
              s === 'n'
                ? { name: `${m.name}_n`, type: 'i32', unit: '', doc: `seeds with a finite ${m.name}` }
                : {
                    name: `${m.name}_${s}`,
                    type: 'f64',
                    unit: m.unit,
                    doc: `${s} over seeds of ${m.doc}`,
                    nullable: true,
                  },
          ),
        ),
      ],
    },
    pcols as never,
  );
  const reportFiles = await writeSweepReport(dir, {
    plan,
    params: params.map((p) => ({ path: p.path, column: p.column, numeric: p.type === 'f64' })),
    metrics,
    summaries,
    failures,
    done: done.length,
    plots: opts.plots,
  });
  const files = [runsTable.parquet, runsTable.csv, pointsTable.parquet, pointsTable.csv, ...reportFiles];
  return {
    runs: done.length,
    failed: failures.size,
    missing: plan.runs.length - done.length - failures.size,
    rows: runsTable.rows,
    files: files.map((f) => f.slice(join(dir, '/').length)),
  };
}
