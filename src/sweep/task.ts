/**
 * The sweep's work in a pool worker: a task is a pack of units, each one run's chunk of seeds → its
 * metric rows. Tiny runs are packed several to a task so the per-task cost of the pool (or the queue)
 * stays small next to the work.
 */
import { NumericError } from '../errors.js';
import type { TaskContext, TaskHandler } from '../runner/task.js';
import type { StudyRegistry } from './study.js';

/** The task kind of a sweep chunk (its key in the worker's dispatch table, src/tasks.ts). */
export const SWEEP_TASK = 'sweep-chunk';

export interface ChunkPayload {
  readonly study: string;
  /** Run index in the sweep (for error messages). */
  readonly run: number;
  readonly config: unknown;
  readonly seeds: readonly number[];
  /** Stream keys as decimal strings (they travel through Redis as JSON too). */
  readonly keys: readonly string[];
}

export interface ChunkResult {
  /** Row-major: seeds.length rows of `width` values, in the study's metric order. */
  readonly values: Float64Array;
  readonly width: number;
  /** Milliseconds spent inside the study's code for these seeds. */
  readonly studyMs: number;
  /** Set when a seed hit a numeric fault: the run fails (deterministically, so it is not retried). */
  readonly error?: string;
}

export interface PackPayload {
  readonly units: readonly ChunkPayload[];
}

export interface PackResult {
  readonly results: readonly ChunkResult[];
}

/** The worker handler over a registry (bound at the composition root). */
export function chunkHandler(registry: StudyRegistry): TaskHandler<PackPayload, PackResult> {
  return (pack, ctx) => {
    const results = pack.units.map((p) => runUnit(registry, p, ctx));
    return { result: { results }, transfer: results.map((r) => r.values.buffer as ArrayBuffer) };
  };
}

function runUnit(registry: StudyRegistry, p: ChunkPayload, ctx: TaskContext): ChunkResult {
  const study = registry[p.study];
  if (!study) throw new Error(`quantrl sweep: unknown study '${p.study}'`);
  const started = performance.now();
  const seeds = p.seeds.map((seed, i) => ({ seed, key: BigInt(p.keys[i] as string) }));
  let rows: Float64Array[];
  try {
    rows = study.runSeeds(p.config, seeds, ctx, p.run);
  } catch (err) {
    if (!(err instanceof NumericError)) throw err;
    return {
      values: new Float64Array(0),
      width: 0,
      studyMs: performance.now() - started,
      error: err.message,
    };
  }
  const studyMs = performance.now() - started;
  const width = rows[0]?.length ?? 0;
  const values = new Float64Array(rows.length * width);
  for (const [i, r] of rows.entries()) values.set(r, i * width);
  ctx.progress(p.seeds.length);
  return { values, width, studyMs };
}
