/** The contract between the runner and a study's task handlers (which run inside pool workers). */

export interface TaskContext {
  /** The compiled kernels, shared by every task of the pool (instantiate per task). */
  readonly module: WebAssembly.Module;
  /** Reports units of work done (polled by the main thread for progress). */
  progress(units: number): void;
}

export interface TaskOutput<R> {
  readonly result: R;
  /** Buffers of `result` to transfer instead of copy. */
  readonly transfer?: readonly ArrayBuffer[];
}

export type TaskHandler<P, R> = (payload: P, ctx: TaskContext) => TaskOutput<R> | Promise<TaskOutput<R>>;
