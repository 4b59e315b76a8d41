/** The message the pool sends to a worker (the worker entry itself is the composition root, src/tasks.ts). */
export interface WorkerMessage {
  readonly kind: string;
  readonly payload: unknown;
  /** One BigInt64 slot counting units done across all tasks. */
  readonly counter: SharedArrayBuffer;
}
