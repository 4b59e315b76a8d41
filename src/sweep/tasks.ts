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
          config: run.config,
          seeds,
          keys: seeds.map((s) => String(seedKey(plan, run, s))),
        },
      };
    }),
  );
}

/** Collects chunk results per run; emits the run's record once all its chunks are in, or at its first failure. */
export class RunAssembler {
  private readonly pending = new Map<number, { rows: (ArrayLike<number>[] | undefined)[]; left: number }>();
  private readonly chunks: number;
  private readonly settled = new Set<number>();

  constructor(
    private readonly plan: SweepPlan,
    private readonly emit: (record: OkRecord | FailedRecord) => void,
  ) {
    this.chunks = seedChunks(plan).length;
  }

  /** One chunk's rows (values row-major, `width` per seed). */
  chunkDone(run: RunPlan, chunk: number, values: ArrayLike<number>, width: number): void {
    if (this.settled.has(run.index)) return;
    let p = this.pending.get(run.index);
    if (!p) {
      p = { rows: new Array(this.chunks).fill(undefined), left: this.chunks };
      this.pending.set(run.index, p);
    }
    if (p.rows[chunk]) return; // a retried duplicate
    const n = width ? values.length / width : (seedChunks(this.plan)[chunk]?.[1] ?? 0);
    p.rows[chunk] = Array.from({ length: n }, (_, i) =>
      Array.prototype.slice.call(values, i * width, (i + 1) * width),
    );
    if (--p.left > 0) return;
    this.pending.delete(run.index);
    this.settled.add(run.index);
    const names = this.plan.study.metrics(run.config).map((m) => m.name);
    const rows = p.rows.flatMap((r) => r ?? []);
    this.emit(okRecord(run.index, run.runId, [this.plan.seeds.first, this.plan.seeds.count], names, rows));
  }

  chunkFailed(run: RunPlan, error: string): void {
    if (this.settled.has(run.index)) return;
    this.pending.delete(run.index);
    this.settled.add(run.index);
    this.emit({ run: run.index, runId: run.runId, status: 'failed', error });
  }
}
