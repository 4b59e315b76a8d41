/**
 * Forward evaluation (spec §4.8): the trained policy as a custom policy of the order-book harness. At
 * decision n (state z at time t) it projects ψ(t, z) on Γ_n (same canonicalisation, features, scaling
 * and inventory buckets as in training) and plays the nearest grid point's Â_n. Steps without a grid
 * (no training trajectory got that far) fall back to 11 and are counted.
 */
import { customPolicy, type LobPolicy } from '../lob/policies.js';
import { action11, actionLabels, type QknnConfig } from './config.js';
import { type FeatureSpec, featurize } from './features.js';
import type { StepGrid } from './grids.js';
import type { StepTable } from './solver.js';
import { type SearchTimes, StepIndex } from './step-index.js';

export interface QknnDecider {
  readonly policy: LobPolicy;
  /** Decisions taken, and those that fell back to 11 for want of a grid. */
  readonly stats: { decisions: number; fallbacks: number };
}

export function qknnPolicy(
  c: QknnConfig,
  spec: FeatureSpec,
  steps: readonly StepTable[],
  name = 'qknn',
  /** Sees every decision: the pre-decision state and the labels played (T6's decision version). */
  observe?: (st: Int32Array, ask: number, bid: number) => void,
): QknnDecider {
  const times: SearchTimes = { buildMs: 0, queryMs: 0, queries: 0 };
  const indexes = steps.map((s) => {
    if (!s || s.count === 0) return null;
    const grid: StepGrid = {
      count: s.count,
      feats: s.feats,
      states: new Int32Array(0),
      times: new Float64Array(0),
    };
    // one neighbour: the policy plays the nearest grid point's action
    return new StepIndex(grid, spec, { ...c, k: 1 }, 'js', undefined, times);
  });
  const row = new Float64Array(spec.d);
  const out = new Int32Array(1);
  const a11 = action11(c.actions);
  const stats = { decisions: 0, fallbacks: 0 };
  const decide = (st: Int32Array, n: number, t: number): readonly [number, number] => {
    stats.decisions++;
    const index = indexes[n];
    let a = a11;
    if (index) {
      featurize(spec, st, t, row, 0);
      index.search(row, 1, out);
      a = (steps[n] as StepTable).actions[out[0] as number] as number;
    } else stats.fallbacks++;
    const labels = actionLabels(c.actions, a);
    observe?.(st, labels[0], labels[1]);
    return labels;
  };
  return { policy: customPolicy(name, decide), stats };
}
