/** The worker's dispatch table: task kind → handler. Adding a study adds one line here. */
import { lobEpisodesTask } from '../lob/tasks.js';
import { lqModelBasedTask, lqModelFreeTask } from '../lq/tasks.js';
import type { TaskHandler } from './task.js';

// biome-ignore lint/suspicious/noExplicitAny: each handler checks its own payload type
export const TASKS: Readonly<Record<string, TaskHandler<any, unknown>>> = {
  'lq-model-free': lqModelFreeTask,
  'lq-model-based': lqModelBasedTask,
  'lob-episodes': lobEpisodesTask,
};
