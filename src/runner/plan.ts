/**
 * What a run declares before it starts (the run session, src/commands/session.ts, checks and executes
 * it): the study, --out, the replayable command, the resolved config, the pool's jobs and the memory
 * the run needs. Plain data, so studies can build their plan without depending on the session.
 */
import type { Runner } from './pool.js';
import type { ProgressSpec } from './progress.js';

export interface MemoryNeed {
  /** The flag whose value drives the size; the refusal names it. */
  readonly flag: string;
  /** Memory of one kernel instance (must fit the 4 GiB address space). */
  readonly kernelBytes: number;
  /** Largest single allocation inside a kernel instance. */
  readonly largestBlockBytes: number;
  /** Host bytes per worker thread besides its kernel (copies of inputs, results in flight). */
  readonly workerHostBytes: number;
  /** Main-thread buffers: results kept, shared slots, tables. */
  readonly mainBytes: number;
  /** Bytes the run writes into --out. */
  readonly fileBytes: number;
}

export interface SessionPlan {
  /** Study id recorded in summary.json (`lq-actor-critic`, `optimal-execution`, `lob-baselines`). */
  readonly study: string;
  /** `--out` as given. */
  readonly out: string;
  /** The replayable command line (see `replayableCommand`). */
  readonly command: string;
  /** The resolved configuration that will run. */
  readonly config: unknown;
  /** `--workers` as given. */
  readonly workers: number | 'auto';
  /** Tasks the run submits to the pool (0: no pool). The pool starts min(workers, jobs) threads. */
  readonly jobs: number;
  readonly memory: MemoryNeed;
  /** The progress display; `done` defaults to the pool's finished tasks. */
  readonly progress?: Omit<ProgressSpec, 'done'> & { readonly done?: (runner: Runner) => number };
}
