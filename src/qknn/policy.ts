/**
 * Forward evaluation (spec §4.8): the trained policy as a custom policy of the order-book harness. At
 * decision n (state z at time t) it projects ψ(t, z) on Γ_n (same canonicalisation, features, scaling
 * and inventory buckets as in training) and plays the nearest grid point's Â_n; in product time mode
 * the nearest state on state features, at the first of the step's time points ≥ t. Steps without a grid
 * (no training trajectory got that far) fall back to 11 and are counted.
 *
 * The one-step look-ahead variant instead recomputes Q̂_n(t, z, ·) at the actual state, as one backward
 * step of training would (exact next-event enumeration, quantized waiting time, successors read in
 * Γ_{n+1} with the stored Û_{n+1}, Φ at N or after an empty grid) and plays its argmax: |A|·B·L
 * nearest-neighbour queries per decision instead of one. With the double estimator the stored Û is set
 * A's (Û^A = Q^B at argmax Q^A), so the look-ahead reads one grid set. It is for joint time mode.
 */
import type { KnnKernel } from '../kernels/knn.js';
import { customPolicy, type LobPolicy } from '../lob/policies.js';
import { action11, actionLabels, type QknnConfig } from './config.js';
import { type FeatureSpec, featurize } from './features.js';
import { pointWidth, type StepGrid } from './grids.js';
import { timeIndex } from './product.js';
import { greedyAction, type StepTable, stateQ } from './solver.js';
import { type SearchTimes, StepIndex } from './step-index.js';

export interface QknnDecider {
  readonly policy: LobPolicy;
  /** Decisions taken, and those that fell back to 11 for want of a grid. */
  readonly stats: { decisions: number; fallbacks: number };
}

/** One index per trained step over its stored features (null where the step has no grid). */
function stepIndexes(
  steps: readonly StepTable[],
  spec: FeatureSpec,
  c: QknnConfig,
  kernel?: KnnKernel,
): (StepIndex | null)[] {
  const times: SearchTimes = { buildMs: 0, queryMs: 0, queries: 0 };
  return steps.map((s) => {
    if (!s || s.count === 0) return null;
    const grid: StepGrid = {
      count: s.count,
      feats: s.feats,
      states: new Int32Array(0),
      times: new Float64Array(0),
    };
    return new StepIndex(grid, spec, c, kernel ? 'wasm' : 'js', kernel, times);
  });
}

export function qknnPolicy(
  c: QknnConfig,
  spec: FeatureSpec,
  steps: readonly StepTable[],
  name = 'qknn',
  /** Sees every decision: the pre-decision state and the labels played (T6's decision version). */
  observe?: (st: Int32Array, ask: number, bid: number) => void,
): QknnDecider {
  // one neighbour: the policy plays the nearest grid point's action
  const indexes = stepIndexes(steps, spec, { ...c, k: 1 });
  const row = new Float64Array(spec.d);
  const out = new Int32Array(1);
  const a11 = action11(c.actions);
  const stats = { decisions: 0, fallbacks: 0 };
  const decide = (st: Int32Array, n: number, t: number): readonly [number, number] => {
    stats.decisions++;
    const index = indexes[n];
    let a = a11;
    if (index) {
      const step = steps[n] as StepTable;
      // product mode: the nearest state on state features, then the first time point ≥ t
      featurize(spec, st, step.taus ? spec.T : t, row, 0);
      index.search(row, 1, out);
      const j = step.taus ? timeIndex(step.taus, t) : 0;
      a = step.actions[(out[0] as number) * pointWidth(step) + j] as number;
    } else stats.fallbacks++;
    const labels = actionLabels(c.actions, a);
    observe?.(st, labels[0], labels[1]);
    return labels;
  };
  return { policy: customPolicy(name, decide), stats };
}

/** The one-step look-ahead policy over a trained policy's grids and values (WASM search when a kernel is given). */
export function qknnLookAheadPolicy(
  c: QknnConfig,
  spec: FeatureSpec,
  steps: readonly StepTable[],
  kernel?: KnnKernel,
  name = 'qknn look-ahead',
): QknnDecider {
  if (c.timeMode === 'product') throw new Error('qknn: the one-step look-ahead is for joint time mode only');
  const indexes = stepIndexes(steps, spec, c, kernel);
  const q = stateQ(c);
  const none = new Float64Array(0);
  const stats = { decisions: 0, fallbacks: 0 };
  const decide = (st: Int32Array, n: number, t: number): readonly [number, number] => {
    stats.decisions++;
    const next = indexes[n + 1] ?? null;
    const values = q(st, t, next, next ? (steps[n + 1] as StepTable).U : none);
    return actionLabels(c.actions, greedyAction(c, st, values));
  };
  return { policy: customPolicy(name, decide), stats };
}
