/** Host side of the execution study's runs: where the Q-learning tasks execute (the pool, or in-process). */
import type { Runner } from '../runner/pool.js';
import { replicate } from '../runner/replicate.js';
import { QL_TASK, type QlTask, type QlTaskResult, runQlTask } from './tasks.js';

/** Where runs execute: the worker pool (results consumed in payload order), or in-process. */
export interface Executor {
  run(tasks: readonly QlTask[], consume: (index: number, result: QlTaskResult) => void): Promise<void>;
}

export function poolExecutor(runner: Runner, signal?: AbortSignal): Executor {
  return {
    run: (tasks, consume) => replicate<QlTask, QlTaskResult>(runner, QL_TASK, tasks, consume, signal),
  };
}

export function inlineExecutor(module: WebAssembly.Module | undefined): Executor {
  return {
    async run(tasks, consume) {
      for (const [i, t] of tasks.entries()) consume(i, runQlTask(t, module));
    },
  };
}
