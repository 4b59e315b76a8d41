/**
 * The host-side kernel convention, shared by every study.
 *
 * - Engines: `wasm` (the AssemblyScript kernels), `wasm-simd` (a SIMD variant, where a study has one;
 *   same bits as `wasm`) and `js` (the pure-TS twin in src/baseline/, same algorithm, same stream).
 * - Units: a kernel call advances one seed over a range of units — iterations, episodes or events —
 *   given as the half-open range [from, to) of 0-based unit indices, so consecutive calls continue
 *   the same stream exactly.
 * - Status: a call returns 0 when every unit stayed finite, else the 1-based index (1 … to) of the
 *   first failing unit, counted from the start of the run, not of the call. The check is part of the
 *   kernel's inner loop and never depends on optional output such as checkpoints.
 * - Chunks: the host runs a seed in calls of bounded size, a short first call so V8 tiers the kernel up
 *   before the long ones (WASM has no on-stack replacement), progress reported between calls.
 * - Errors: a non-zero status becomes a NumericError naming study, run, seed and the failing unit.
 */
import { NumericError, type NumericUnit } from '../errors.js';

/** Every engine a study may offer; a study that has no SIMD variant accepts the scalar pair only. */
export type Engine = 'wasm' | 'wasm-simd' | 'js';
/** The engines of a study without a SIMD variant. */
export type ScalarEngine = Exclude<Engine, 'wasm-simd'>;

/** The compiled module a WASM engine needs (workers receive it from the pool). */
export function requireModule(module: WebAssembly.Module | undefined): WebAssembly.Module {
  if (!module) throw new Error('quantrl: the wasm engine needs a compiled module');
  return module;
}

export interface ChunkPlan {
  /** First unit (0-based) and end of the range. */
  readonly from: number;
  readonly to: number;
  /** Units in the first call, then in every later call. */
  readonly first: number;
  readonly chunk: number;
}

/**
 * Calls `call(from, to)` over plan.from … plan.to in chunks and stops at the first non-zero status,
 * which it returns (0 when every call succeeded). `done(from, to)` runs after each successful call.
 */
export function runChunked(
  plan: ChunkPlan,
  call: (from: number, to: number) => number,
  done?: (from: number, to: number) => void,
): number {
  for (let from = plan.from; from < plan.to; ) {
    const to = Math.min(plan.to, from + (from === plan.from ? plan.first : plan.chunk));
    const status = call(from, to);
    if (status !== 0) return status;
    done?.(from, to);
    from = to;
  }
  return 0;
}

/** Where a run happened: the failing unit is added from the kernel's status. */
export interface RunLabel {
  readonly study: string;
  readonly run: number;
  /** The seed of the stream (for episode-keyed streams such as the order book's, omitted). */
  readonly seed?: number;
}

/** Throws the NumericError of a non-zero status (the 1-based index of the first failing unit). */
export function checkStatus(status: number, label: RunLabel, unit: NumericUnit): void {
  if (status !== 0) throw new NumericError(label.study, label.run, label.seed, unit, status);
}
