import { describe, expect, it } from 'vitest';
import { QL_TASK } from '../../src/execution/tasks.js';
import { EXECUTION_MODULE_TASK } from '../../src/execution/user-policy.js';
import { LOB_TASK } from '../../src/lob/tasks.js';
import { LOB_MODULE_TASK } from '../../src/lob/user-policy.js';
import { LQ_TASKS } from '../../src/lq/tasks.js';
import { QKNN_CHUNK_TASK } from '../../src/qknn/tasks.js';
import { SWEEP_TASK } from '../../src/sweep/task.js';
import { TASKS } from '../../src/tasks.js';

// The worker's dispatch table (the composition root) holds exactly the task kinds the studies submit.
describe('the dispatch table', () => {
  it('has one handler per task kind the studies submit, and no other', () => {
    const submitted = [
      QL_TASK,
      EXECUTION_MODULE_TASK,
      LOB_TASK,
      LOB_MODULE_TASK,
      SWEEP_TASK,
      QKNN_CHUNK_TASK,
      ...Object.values(LQ_TASKS),
    ];
    expect(Object.keys(TASKS).sort()).toEqual([...submitted].sort());
    for (const kind of submitted) expect(typeof TASKS[kind as keyof typeof TASKS]).toBe('function');
  });
});
