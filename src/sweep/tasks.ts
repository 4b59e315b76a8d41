/**
 * From a plan to (run, seed-chunk) tasks and back: the tasks of the runs still to do, and the
 * assembler that turns a run's chunk results (in any order) into its one store record.
 */
import { type RunPlan, type SweepPlan, seedChunks, seedKey } from './spec.js';
import { type FailedRecord, type OkRecord, okRecord } from './store.js';
import type { ChunkPayload } from './task.js';

export interface SweepTask {
  readonly run: RunPlan;
  readonly chunk: number;
  /** Deterministic queue job id: re-enqueueing the same task deduplicates. */
  readonly jobId: string;
  readonly payload: ChunkPayload;
}

/** Work per task the packer aims for: large against the pool's or the queue's cost per task. */
export const PACK_TARGET_NS = 40e6;
const MAX_PACK = 256;

/** Several units of work sent as one task (one pool task, one queue job). */
export interface SweepPack {
  readonly jobId: string;
  readonly units: readonly SweepTask[];
}

/**
 * Packs consecutive units until their estimated cost reaches PACK_TARGET_NS; a unit at or above the
 * target travels alone. Deterministic in the units given, so the same plan gives the same job ids.
 */
export function packTasks(plan: SweepPlan, tasks: readonly SweepTask[]): SweepPack[] {
  const packs: SweepPack[] = [];
  let units: SweepTask[] = [];
  let cost = 0;
  const flush = () => {
    const first = units[0];
    if (!first) return;
    packs.push({ jobId: units.length > 1 ? `${first.jobId}-n${units.length}` : first.jobId, units });
    units = [];
    cost = 0;
  };
  for (const t of tasks) {
    units.push(t);
    cost += plan.study.cost(t.run.config) * t.payload.seeds.length;
    if (cost >= PACK_TARGET_NS || units.length >= MAX_PACK) flush();
  }
  flush();
  return packs;
}

export function sweepTasks(plan: SweepPlan, runs: readonly RunPlan[]): SweepTask[] {
  const chunks = seedChunks(plan);
  return runs.flatMap((run) =>
    chunks.map(([first, n], chunk) => {
      const seeds = Array.from({ length: n }, (_, j) => first + j);
      return {
        run,
        chunk,
        jobId: `r-${run.runId}-c${chunk}`,
        payload: {
          study: plan.study.name,
          run: run.index,
          config: run.config,
          seeds,
          keys: seeds.map((s) => String(seedKey(plan, run, s))),
        },
      };
    }),
  );
}

/**
 * Collects chunk results per run (in any order) and emits the run's record once all its chunks are
 * in: its rows in seed order, or — if any chunk failed — the error of the lowest failed chunk, so the
 * record does not depend on which worker finished first.
 */
export class RunAssembler {
  private readonly pending = new Map<
    number,
    { rows: (ArrayLike<number>[] | undefined)[]; errors: (string | undefined)[]; left: number }
  >();
  private readonly chunks: number;

  constructor(
    private readonly plan: SweepPlan,
    private readonly emit: (record: OkRecord | FailedRecord) => void,
  ) {
    this.chunks = seedChunks(plan).length;
  }

  private slot(run: RunPlan) {
    let p = this.pending.get(run.index);
    if (!p) {
      p = {
        rows: new Array(this.chunks).fill(undefined),
        errors: new Array(this.chunks).fill(undefined),
        left: this.chunks,
      };
      this.pending.set(run.index, p);
    }
    return p;
  }

  /** One chunk's rows (values row-major, `width` per seed). */
  chunkDone(run: RunPlan, chunk: number, values: ArrayLike<number>, width: number): void {
    const p = this.slot(run);
    if (p.rows[chunk] || p.errors[chunk] !== undefined) return; // a retried duplicate
    const n = width ? values.length / width : 0;
    p.rows[chunk] = Array.from({ length: n }, (_, i) =>
      Array.prototype.slice.call(values, i * width, (i + 1) * width),
    );
    this.settle(run, p);
  }

  chunkFailed(run: RunPlan, chunk: number, error: string): void {
    const p = this.slot(run);
    if (p.rows[chunk] || p.errors[chunk] !== undefined) return;
    p.errors[chunk] = error;
    this.settle(run, p);
  }

  private settle(
    run: RunPlan,
    p: { rows: (ArrayLike<number>[] | undefined)[]; errors: (string | undefined)[]; left: number },
  ) {
    if (--p.left > 0) return;
    this.pending.delete(run.index);
    const error = p.errors.find((e) => e !== undefined);
    if (error !== undefined) {
      this.emit({ run: run.index, runId: run.runId, status: 'failed', error });
      return;
    }
    const names = this.plan.study.metrics(run.config).map((m) => m.name);
    const rows = p.rows.flatMap((r) => r ?? []);
    this.emit(okRecord(run.index, run.runId, [this.plan.seeds.first, this.plan.seeds.count], names, rows));
  }
}
