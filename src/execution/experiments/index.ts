/**
 * Experiments E1–E9 of the execution study (spec §5), one file each over the shared harness, and
 * `train`. Each returns a result object: a table, the spec's criteria evaluated (exact DP statements
 * and k-of-n seed statements), the headline numbers and the data of its figures. Q-learning runs go
 * through an Executor (the worker pool, or in-process); streams are keyed by (experiment id, run =
 * budget index, seed index), so arms compared at one budget share their seeds' streams.
 */
import { e1 } from './e1-discount.js';
import { e2 } from './e2-granularity.js';
import { e3 } from './e3-minimal-state.js';
import { e4 } from './e4-order-type.js';
import { e5 } from './e5-reward-engineering.js';
import { e6 } from './e6-regret.js';
import { e7 } from './e7-convergence.js';
import { e8 } from './e8-hjb-surrogate.js';
import { e9 } from './e9-persistent-excitation.js';
import type { ExperimentId, ExperimentOptions, ExperimentResult } from './harness.js';

export {
  DEFAULT_SIZES,
  EXPERIMENT_IDS,
  EXPERIMENTS,
  type ExperimentId,
  type ExperimentOptions,
  type ExperimentResult,
  type Figure,
  type NamedArray,
  type RunRecord,
  type Series,
} from './harness.js';
export { train } from './train.js';
export { e1, e2, e3, e4, e5, e6, e7, e8, e9 };

export const RUNNERS: Record<ExperimentId, (o: ExperimentOptions) => Promise<ExperimentResult>> = {
  e1,
  e2,
  e3,
  e4,
  e5,
  e6,
  e7,
  e8: () => e8(),
  e9,
};
