/**
 * `sweep run`: the runs of this shard not yet in the store, as (run, seed-chunk) tasks over the local
 * pool, dispatched in run order with a bounded window so finished runs are committed as the sweep
 * goes (resume loses at most the runs in flight). A failed run is recorded and the sweep goes on.
 */
import { setMaxListeners } from 'node:events';
import { Runner } from '../runner/pool.js';
import { startProgress } from '../runner/progress.js';
import { type Shard, type SweepPlan, shardRuns } from './spec.js';
import { openStore, PartWriter, storeState } from './store.js';
import { type PackResult, SWEEP_TASK } from './task.js';
import { packTasks, RunAssembler, sweepTasks } from './tasks.js';

export interface LocalOptions {
  readonly out: string;
  readonly workers: number;
  readonly shard: Shard;
  readonly code: string;
  readonly signal?: AbortSignal;
}

export interface SweepCounts {
  readonly total: number;
  readonly skipped: number;
  readonly done: number;
  readonly failed: number;
  readonly wallMs: number;
  /** Summed over workers: time inside the studies' code. */
  readonly studyMs: number;
  readonly workers: number;
}

export async function runLocal(plan: SweepPlan, opts: LocalOptions): Promise<SweepCounts> {
  const started = performance.now();
  openStore(opts.out, plan, opts.code);
  const state = await storeState(opts.out);
  const mine = shardRuns(plan.runs, opts.shard);
  const todo = mine.filter((r) => !state.done.has(r.runId));
  const tasks = packTasks(plan, sweepTasks(plan, todo));
  let done = 0;
  let failed = 0;
  let studyMs = 0;
  const writer = new PartWriter(opts.out, `local-${opts.shard.index}-of-${opts.shard.of}`);
  const assembler = new RunAssembler(plan, (rec) => {
    writer.append(rec);
    if (rec.status === 'ok') done++;
    else failed++;
  });
  const workers = Math.max(1, Math.min(opts.workers, tasks.length));
  if (!tasks.length) {
    writer.close();
    return {
      total: mine.length,
      skipped: mine.length,
      done: 0,
      failed: 0,
      wallMs: 0,
      studyMs: 0,
      workers: 0,
    };
  }
  const runner = await Runner.open({ workers });
  const signal = opts.signal;
  if (signal) setMaxListeners(0, signal);
  const stopProgress = startProgress({ unit: 'runs', total: todo.length, done: () => done + failed });
  try {
    await new Promise<void>((resolve, reject) => {
      const window = workers * 4;
      let next = 0;
      let inFlight = 0;
      let stopped = false;
      const pump = () => {
        if (stopped) return;
        if (signal?.aborted) {
          stopped = true;
          reject(signal.reason ?? new Error('interrupted'));
          return;
        }
        if (next === tasks.length && inFlight === 0) {
          resolve();
          return;
        }
        while (inFlight < window && next < tasks.length) {
          const t = tasks[next++];
          if (!t) break;
          inFlight++;
          runner.run<PackResult>(SWEEP_TASK, { units: t.units.map((u) => u.payload) }, signal).then(
            ({ results }) => {
              inFlight--;
              for (const [k, u] of t.units.entries()) {
                const r = results[k];
                if (!r) continue;
                studyMs += r.studyMs;
                if (r.error) assembler.chunkFailed(u.run, u.chunk, r.error);
                else assembler.chunkDone(u.run, u.chunk, r.values, r.width);
              }
              pump();
            },
            (err: unknown) => {
              inFlight--;
              if (signal?.aborted) {
                pump();
                return;
              }
              for (const u of t.units)
                assembler.chunkFailed(u.run, u.chunk, err instanceof Error ? err.message : String(err));
              pump();
            },
          );
        }
      };
      pump();
    });
  } finally {
    stopProgress();
    writer.close();
    await runner.close();
  }
  return {
    total: mine.length,
    skipped: mine.length - todo.length,
    done,
    failed,
    wallMs: performance.now() - started,
    studyMs,
    workers,
  };
}
