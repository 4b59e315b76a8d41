/** The worker's dispatch table: task kind → handler. Adding a study adds one line here. */
import { executionQlTask } from '../execution/tasks.js';
import { lobEpisodesTask } from '../lob/tasks.js';
import { lobModuleTask } from '../lob/user-policy.js';
import { lqModelBasedTask, lqModelFreePairTask, lqModelFreeTask } from '../lq/tasks.js';
import { sweepChunkTask } from '../studies.js';
import type { TaskHandler } from './task.js';

// biome-ignore lint/suspicious/noExplicitAny: each handler checks its own payload type
export const TASKS: Readonly<Record<string, TaskHandler<any, unknown>>> = {
  'lq-model-free': lqModelFreeTask,
  'lq-model-based': lqModelBasedTask,
  'lq-model-free-x2': lqModelFreePairTask,
  'lob-episodes': lobEpisodesTask,
  'lob-module-episodes': lobModuleTask,
  'execution-ql': executionQlTask,
  'sweep-chunk': sweepChunkTask,
};
