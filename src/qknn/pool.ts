/**
 * Pooled training: the same recursion as `train` (src/qknn/solver.ts), each backward step's grid
 * points split into one contiguous range per worker. Per step the host builds step n+1's index once
 * and copies it and step n+1's Û once into SharedArrayBuffers; the grids' states and times already
 * live in shared memory (src/qknn/grids.ts), and so do the Û this host assembles. The workers read
 * them in place. A grid point's Q̂, Û and Â depend only on step n+1, so the result is bit-identical
 * to `train` for any number of workers.
 */
import type { QknnConfig } from './config.js';
import { pointWidth } from './grids.js';
import {
  type NextStep,
  recursion,
  type StepJob,
  type StepOut,
  type TrainOptions,
  type TrainResult,
  trainParts,
} from './solver.js';
import { type SharedStepIndex, type StepIndex, shared } from './step-index.js';
import type { QknnChunkResult, QknnChunkTask, SharedNext } from './tasks.js';

export interface PooledOptions extends TrainOptions {
  /** Contiguous ranges per backward step (the pool's worker count). */
  readonly workers: number;
  /** Runs one task in the pool (the command passes the runner's `run` for QKNN_CHUNK_TASK). */
  readonly run: (task: QknnChunkTask) => Promise<QknnChunkResult>;
  /** Called with the backward steps done so far (the policy's and the check's, which run side by side). */
  readonly onSteps?: (done: number) => void;
}

/** Backward steps a pooled training run reports (N, plus N for the policy-evaluation check). */
export function pooledSteps(N: number, opts: TrainOptions): number {
  return opts.skipCheck || opts.fixedAction !== undefined ? N : 2 * N;
}

export async function trainPooled(c: QknnConfig, opts: PooledOptions): Promise<TrainResult> {
  const t0 = performance.now();
  const p = trainParts.prepare(c, opts);
  const engine = opts.engine ?? 'js';
  // each index is copied to shared memory once, however many jobs read it
  const indexes = new WeakMap<StepIndex, SharedStepIndex>();
  const values = new WeakMap<Float64Array, Float64Array>();
  // the copies into shared memory count as index build time
  const share = (s: NextStep): SharedNext => {
    const t = performance.now();
    let idx: SharedStepIndex | null = null;
    if (s.idx) {
      idx = indexes.get(s.idx) ?? s.idx.toShared();
      indexes.set(s.idx, idx);
    }
    const U = s.U.buffer instanceof SharedArrayBuffer ? s.U : (values.get(s.U) ?? shared(s.U));
    values.set(s.U, U);
    p.searchTimes.buildMs += performance.now() - t;
    return { idx, U, ...(s.taus ? { taus: s.taus } : {}) };
  };
  const nSets = p.sims.length;
  let enumerateMs = 0;
  let mainJobs = 0;
  let checkJobs = 0;
  const solve = async (job: StepJob): Promise<StepOut> => {
    const { grid } = job;
    const base = {
      config: c,
      engine,
      n: job.n,
      grid,
      own: share(job.own),
      ...(job.other ? { other: share(job.other) } : {}),
      ...(job.fixed === undefined ? {} : { fixed: job.fixed }),
    };
    const per = Math.ceil(grid.count / opts.workers);
    const ranges: [number, number][] = [];
    for (let from = 0; from < grid.count; from += per) ranges.push([from, Math.min(grid.count, from + per)]);
    const parts = await Promise.all(ranges.map(([from, to]) => opts.run({ ...base, from, to })));
    const W = pointWidth(grid);
    const U = new Float64Array(new SharedArrayBuffer(grid.count * W * 8));
    const policy = new Uint8Array(grid.count * W);
    parts.forEach((r, j) => {
      const from = (ranges[j] as [number, number])[0];
      U.set(r.U, from * W);
      policy.set(r.policy, from * W);
      enumerateMs += r.enumerateMs;
      p.searchTimes.queryMs += r.search.queryMs;
      p.searchTimes.queries += r.search.queries;
      p.searchTimes.lookups = (p.searchTimes.lookups ?? 0) + (r.search.lookups ?? 0);
    });
    if (job.fixed !== undefined && opts.fixedAction === undefined) checkJobs++;
    else mainJobs++;
    opts.onSteps?.(Math.floor(mainJobs / nSets) + checkJobs);
    return { U, policy };
  };
  const gen = recursion(c, p, opts);
  let step = gen.next();
  while (!step.done) step = gen.next(await solve(step.value));
  return trainParts.finish(c, p, step.value, t0, enumerateMs);
}
