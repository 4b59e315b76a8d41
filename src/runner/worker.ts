/** Pool worker: runs one task with the shared compiled module and returns its result by transfer. */
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { TASKS } from './tasks.js';

export interface WorkerMessage {
  readonly kind: string;
  readonly payload: unknown;
  /** One BigInt64 slot counting units done across all tasks. */
  readonly counter: SharedArrayBuffer;
}

export default async function runTask(msg: WorkerMessage): Promise<unknown> {
  const handler = TASKS[msg.kind];
  if (!handler) throw new Error(`quantrl worker: unknown task kind '${msg.kind}'`);
  const counter = new BigInt64Array(msg.counter);
  const { module } = workerData as { module: WebAssembly.Module };
  const out = await handler(msg.payload, {
    module,
    progress: (units) => Atomics.add(counter, 0, BigInt(units)),
  });
  if (!out.transfer?.length) return out.result;
  return move({ [transferableSymbol]: [...out.transfer], [valueSymbol]: out.result } as never);
}
