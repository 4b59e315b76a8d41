import { describe, expect, it } from 'vitest';
import { SCHED_ENT, SCHED_LR, SCHED_SD, SCHED_STRIDE, SCHED_VAR } from '../../src/lq/schedules.js';
import { BUILDS, instance } from '../support/builds.js';

// The schedule records are written by the host (src/lq/schedules.ts) and read by the kernels
// (assembly/lq/params.ts): both sides must name the same slots.
describe.each(BUILDS)('LQ schedule layout (%s build)', (build) => {
  it('host slots equal the kernel exports', async () => {
    const k = await instance(build);
    expect({ SCHED_LR, SCHED_SD, SCHED_VAR, SCHED_ENT, SCHED_STRIDE }).toEqual({
      SCHED_LR: k.constant('LQ_SCHED_LR'),
      SCHED_SD: k.constant('LQ_SCHED_SD'),
      SCHED_VAR: k.constant('LQ_SCHED_VAR'),
      SCHED_ENT: k.constant('LQ_SCHED_ENT'),
      SCHED_STRIDE: k.constant('LQ_SCHED_STRIDE'),
    });
    expect(k.constant('MB_SCHED_STRIDE')).toBe(2); // [√vₙ, vₙ] of modelBasedSchedule
  });
});
