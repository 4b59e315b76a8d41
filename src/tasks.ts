/**
 * The composition root of the pool: the worker's dispatch table (task kind → study handler) and the
 * worker entry point the pool loads. It sits above the studies and the runner, so every import
 * points down; adding a study adds one line to TASKS.
 */
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { executionQlTask, QL_TASK } from './execution/tasks.js';
import { EXECUTION_MODULE_TASK, executionModuleTask } from './execution/user-policy.js';
import { LOB_TASK, lobEpisodesTask } from './lob/tasks.js';
import { LOB_MODULE_TASK, lobModuleTask } from './lob/user-policy.js';
import {
  LQ_TASKS,
  lqModelBasedPairTask,
  lqModelBasedTask,
  lqModelFreePairTask,
  lqModelFreeTask,
} from './lq/tasks.js';
import { QKNN_CHUNK_TASK, qknnChunkTask } from './qknn/tasks.js';
import type { TaskHandler } from './runner/task.js';
import type { WorkerMessage } from './runner/worker.js';
import { sweepChunkTask } from './studies.js';
import { SWEEP_TASK } from './sweep/task.js';

export const TASKS = {
  [LQ_TASKS.modelFree]: lqModelFreeTask,
  [LQ_TASKS.modelBased]: lqModelBasedTask,
  [LQ_TASKS.modelFreePair]: lqModelFreePairTask,
  [LQ_TASKS.modelBasedPair]: lqModelBasedPairTask,
  [LOB_TASK]: lobEpisodesTask,
  [LOB_MODULE_TASK]: lobModuleTask,
  [QL_TASK]: executionQlTask,
  [EXECUTION_MODULE_TASK]: executionModuleTask,
  [SWEEP_TASK]: sweepChunkTask,
  [QKNN_CHUNK_TASK]: qknnChunkTask,
} as const satisfies Readonly<Record<string, TaskHandler<never, unknown>>>;

export type TaskKind = keyof typeof TASKS;

function isTaskKind(kind: string): kind is TaskKind {
  return Object.hasOwn(TASKS, kind);
}

/** Runs one task with the shared compiled module; returns its result, its buffers by transfer. */
export default async function runTask(msg: WorkerMessage): Promise<unknown> {
  if (!isTaskKind(msg.kind)) throw new Error(`quantrl worker: unknown task kind '${msg.kind}'`);
  // The kind selects the handler; the payload is the one the host built for that kind.
  const handler = TASKS[msg.kind] as TaskHandler<unknown, unknown>;
  const counter = new BigInt64Array(msg.counter);
  const { module } = workerData as { module: WebAssembly.Module };
  const out = await handler(msg.payload, {
    module,
    progress: (units) => Atomics.add(counter, 0, BigInt(units)),
  });
  if (!out.transfer?.length) return out.result;
  return move({ [transferableSymbol]: [...out.transfer], [valueSymbol]: out.result } as never);
}
