/**
 * The worker pool: Piscina threads sharing one compiled WebAssembly.Module (cloned through
 * workerData, so workers need no file access). Tasks are plain data; results come back by transfer.
 * Commands open it through the run session (src/commands/session.ts), which sizes it to
 * min(workers, jobs) threads and aborts it on SIGINT/SIGTERM.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { type Build, compileKernels } from '../kernels/wasm.js';
import type { WorkerMessage } from './worker.js';

export interface PoolOptions {
  readonly workers: number;
  readonly build?: Build;
  /** Aborts every task run without a signal of its own (the session's interrupt signal). */
  readonly signal?: AbortSignal;
  /** Called in the main thread each time a task's result arrives. */
  readonly onTaskDone?: () => void;
}

/** 'auto' → the machine's available parallelism. */
export function resolveWorkers(workers: number | 'auto'): number {
  return workers === 'auto' ? availableParallelism() : workers;
}

export class Runner {
  private readonly counter = new SharedArrayBuffer(8);
  private done = 0;

  private constructor(
    private readonly pool: Piscina,
    private readonly opts: PoolOptions,
  ) {}

  static async open(opts: PoolOptions): Promise<Runner> {
    const module = await compileKernels(opts.build ?? 'release');
    // Under tsx/vitest the worker is TypeScript and needs the tsx loader; the built CLI runs plain JS.
    const fromSource = import.meta.url.endsWith('.ts');
    const pool = new Piscina({
      filename: new URL(`../tasks${fromSource ? '.ts' : '.js'}`, import.meta.url).href,
      workerData: { module },
      minThreads: opts.workers,
      maxThreads: opts.workers,
      idleTimeout: 60_000,
      ...(fromSource ? { execArgv: ['--import', 'tsx'] } : {}),
    });
    return new Runner(pool, opts);
  }

  /** Runs one task; rejects with the worker's error, or when the signal (or the pool's) aborts. */
  async run<R>(kind: string, payload: unknown, signal?: AbortSignal): Promise<R> {
    const msg: WorkerMessage = { kind, payload, counter: this.counter };
    const sig = signal ?? this.opts.signal;
    const result = (await this.pool.run(msg, sig ? { signal: sig } : {})) as R;
    this.done++;
    this.opts.onTaskDone?.();
    return result;
  }

  /** Units of work reported by all tasks so far. */
  progress(): number {
    return Number(Atomics.load(new BigInt64Array(this.counter), 0));
  }

  /** Tasks whose results have arrived. */
  get tasksDone(): number {
    return this.done;
  }

  get threads(): number {
    return this.pool.threads.length;
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
