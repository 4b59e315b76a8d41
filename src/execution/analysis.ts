/**
 * Exact scoring of a learned policy against the optimum of the same MDP (spec §3): value gap, greedy
 * agreement, Q error at s0, and the policy statistics of metrics.ts — everything from the policy and
 * the tables, no sampling.
 */
import { liftPolicy, occupancy } from './dp.js';
import { type Checkpoint, decodeCheckpoints } from './learner.js';
import { compareWithOptimum, type PolicyStats, policyStats } from './metrics.js';
import type { Solved } from './solved.js';
import type { QlTaskResult } from './tasks.js';

export interface RunScore {
  readonly gap: number;
  readonly exact: boolean;
  readonly agreement: number;
  readonly value: number;
  readonly optimum: number;
  /** Q error at s0 after the last episode. */
  readonly qError: number;
  readonly stats: PolicyStats;
  readonly checkpoints: Checkpoint[];
}

const dStarCache = new WeakMap<Solved, Float64Array>();

/** The occupancy of π* (memoised per solved config). */
export function optimalOccupancy(s: Solved): Float64Array {
  let d = dStarCache.get(s);
  if (!d) {
    d = occupancy(s.mdp, s.sol.policy);
    dStarCache.set(s, d);
  }
  return d;
}

export function scoreRun(s: Solved, r: QlTaskResult): RunScore {
  const policy = liftPolicy(s.mdp, r.policy);
  const cmp = compareWithOptimum(s.mdp, s.sol, policy, optimalOccupancy(s));
  const checkpoints = decodeCheckpoints(r.checkpoints);
  return {
    gap: cmp.gap,
    exact: cmp.exact,
    agreement: cmp.agreement,
    value: cmp.value,
    optimum: cmp.optimum,
    qError: checkpoints.at(-1)?.qError ?? Number.NaN,
    stats: policyStats(s.mdp, policy),
    checkpoints,
  };
}
