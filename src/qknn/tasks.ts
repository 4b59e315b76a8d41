/**
 * Worker-side task of the Qknn solver: one contiguous range of a backward step's grid points. The
 * step's arrays and step n+1's index arrive as views on SharedArrayBuffers (nothing is copied into
 * the worker); each worker keeps one solver scratch and one WASM instance across tasks.
 */

import type { ScalarEngine } from '../kernels/engine.js';
import { KnnKernel } from '../kernels/knn.js';
import { Kernels } from '../kernels/wasm.js';
import type { TaskHandler } from '../runner/task.js';
import type { QknnConfig } from './config.js';
import { qknnModel } from './config.js';
import { qknnFeatureSpec } from './features.js';
import { pointWidth, type StepGrid } from './grids.js';
import { ChunkSolver, type NextStep, type StepJob } from './solver.js';
import { type SearchTimes, type SharedStepIndex, StepIndex } from './step-index.js';

/** The task kind (its key in the worker's dispatch table, src/tasks.ts). */
export const QKNN_CHUNK_TASK = 'qknn-chunk';

export interface SharedNext {
  readonly idx: SharedStepIndex | null;
  readonly U: Float64Array;
  /** Product time mode: the step's time points. */
  readonly taus?: Float64Array;
}

export interface QknnChunkTask {
  readonly config: QknnConfig;
  readonly engine: ScalarEngine;
  readonly n: number;
  /** Step n's grid; its states and times are views on SharedArrayBuffers (product mode: its time points). */
  readonly grid: StepGrid;
  readonly own: SharedNext;
  readonly other?: SharedNext;
  readonly fixed?: number;
  readonly from: number;
  readonly to: number;
}

export interface QknnChunkResult {
  readonly U: Float64Array;
  readonly policy: Uint8Array;
  readonly enumerateMs: number;
  readonly search: SearchTimes;
}

// one per worker thread: the solver scratch of the last configuration and the WASM instance
let cached: { key: string; solver: ChunkSolver } | undefined;
let kernel: KnnKernel | undefined;

export const qknnChunkTask: TaskHandler<QknnChunkTask, QknnChunkResult> = (t, ctx) => {
  const key = `${t.engine} ${JSON.stringify(t.config)}`;
  if (cached?.key !== key)
    cached = { key, solver: new ChunkSolver(t.config, t.engine === 'wasm' ? ctx.module : undefined) };
  const solver = cached.solver;
  if (t.engine === 'wasm' && !kernel) kernel = new KnnKernel(new Kernels(ctx.module));
  const spec = qknnFeatureSpec(t.config, qknnModel(t.config));
  const search: SearchTimes = { buildMs: 0, queryMs: 0, queries: 0, lookups: 0 };
  const wrap = (s: SharedNext): NextStep => ({
    idx: s.idx ? new StepIndex(s.idx, spec, t.config, t.engine, kernel, search) : null,
    U: s.U,
    ...(s.taus ? { taus: s.taus } : {}),
  });
  const job: StepJob = {
    n: t.n,
    grid: t.grid,
    own: wrap(t.own),
    ...(t.other ? { other: wrap(t.other) } : {}),
    ...(t.fixed === undefined ? {} : { fixed: t.fixed }),
  };
  const size = (t.to - t.from) * pointWidth(t.grid);
  const U = new Float64Array(size);
  const policy = new Uint8Array(size);
  const before = solver.enumerateMs;
  solver.solve(job, t.from, t.to, U, policy);
  ctx.progress(t.to - t.from);
  return {
    result: { U, policy, enumerateMs: solver.enumerateMs - before, search },
    transfer: [U.buffer as ArrayBuffer, policy.buffer as ArrayBuffer],
  };
};
