import { describe, expect, it } from 'vitest';
import {
  CK_STRIDE,
  EVAL_LEFTOVER,
  EVAL_RETURN,
  EVAL_STRIDE,
  EVAL_TLIQ,
  QL_RING,
} from '../../src/baseline/execution.js';
import { BUILDS, instance } from '../support/builds.js';

// The evaluation and checkpoint records are written by the kernel (assembly/execution/qlearn.ts) and
// by the twin, and read by the host: both sides must name the same slots.
describe.each(BUILDS)('Q-learning record layout (%s build)', (build) => {
  it('host slots equal the kernel exports', async () => {
    const k = await instance(build);
    expect({ EVAL_RETURN, EVAL_LEFTOVER, EVAL_TLIQ, EVAL_STRIDE, CK_STRIDE, QL_RING }).toEqual({
      EVAL_RETURN: k.constant('QL_EVAL_RETURN'),
      EVAL_LEFTOVER: k.constant('QL_EVAL_LEFTOVER'),
      EVAL_TLIQ: k.constant('QL_EVAL_TLIQ'),
      EVAL_STRIDE: k.constant('QL_EVAL_STRIDE'),
      CK_STRIDE: k.constant('QL_CK_STRIDE'),
      QL_RING: k.constant('QL_RING'),
    });
  });
});
