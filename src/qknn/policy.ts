/**
 * Forward evaluation (spec §4.8): the trained policy as a custom policy of the order-book harness. At
 * decision n (state z at time t) it projects ψ(t, z) on Γ_n (same canonicalisation, features, scaling
 * and inventory buckets as in training) and plays the nearest grid point's Â_n; in product time mode
 * the nearest state on state features, at the first of the step's time points ≥ t. Steps without a grid
 * (no training trajectory got that far) fall back to 11 and are counted, and so are the decisions taken at
 * an inventory no point of Γ_n holds: there the value read belongs to another inventory (the nearest one
 * present under exact y matching), which is where a learned policy can exploit its own grid's gaps.
 *
 * The one-step look-ahead variant instead recomputes Q̂_n(t, z, ·) at the actual state, as one backward
 * step of training would (exact next-event enumeration, quantized waiting time, successors read in
 * Γ_{n+1} with the stored Û_{n+1}, Φ at N or after an empty grid) and plays its argmax: |A|·B·L
 * nearest-neighbour queries per decision instead of one. With the double estimator the stored Û is set
 * A's (Û^A = Q^B at argmax Q^A), so the look-ahead reads one grid set. It is for joint time mode.
 */
import type { KnnKernel } from '../kernels/knn.js';
import { S_Y } from '../lob/layout.js';
import { customPolicy, type LobPolicy } from '../lob/policies.js';
import { action11, actionLabels, type QknnConfig } from './config.js';
import { type FeatureSpec, featurize } from './features.js';
import { gridFeatures, pointWidth } from './grids.js';
import { timeIndex } from './product.js';
import { greedyAction, type StepTable, stateQ } from './solver.js';
import { type SearchTimes, StepIndex } from './step-index.js';

export interface QknnDecider {
  readonly policy: LobPolicy;
  /** Decisions taken, and those that fell back to 11 for want of a grid. */
  readonly stats: { decisions: number; fallbacks: number };
}

/** The stored-action policy also counts its decisions at an inventory absent from the step's grid. */
export interface StoredActionDecider extends QknnDecider {
  readonly stats: { decisions: number; fallbacks: number; offGrid: number };
}

/** The inventories present in a step's grid. */
function inventories(step: StepTable): Set<number> {
  const { slots, states, count } = step.grid;
  const w = slots.length;
  const j = slots.indexOf(S_Y);
  const ys = new Set<number>();
  for (let i = 0; i < count; i++) ys.add(states[i * w + j] as number);
  return ys;
}

/** One index per trained step over its stored features (null where the step has no grid). */
function stepIndexes(
  steps: readonly StepTable[],
  spec: FeatureSpec,
  c: QknnConfig,
  kernel?: KnnKernel,
): (StepIndex | null)[] {
  const times: SearchTimes = { buildMs: 0, queryMs: 0, queries: 0 };
  return steps.map((s) =>
    s && s.count > 0
      ? new StepIndex(gridFeatures(spec, s.grid), spec, c, kernel ? 'wasm' : 'js', kernel, times)
      : null,
  );
}

export function qknnPolicy(
  c: QknnConfig,
  spec: FeatureSpec,
  steps: readonly StepTable[],
  name = 'qknn',
  /** Sees every decision: the pre-decision state and the labels played (T6's decision version). */
  observe?: (st: Int32Array, ask: number, bid: number) => void,
): StoredActionDecider {
  // one neighbour: the policy plays the nearest grid point's action
  const indexes = stepIndexes(steps, spec, { ...c, k: 1 });
  const present = steps.map((s) => (s && s.count > 0 ? inventories(s) : undefined));
  const row = new Float64Array(spec.d);
  const out = new Int32Array(1);
  const a11 = action11(c.actions);
  const stats = { decisions: 0, fallbacks: 0, offGrid: 0 };
  const decide = (st: Int32Array, n: number, t: number): readonly [number, number] => {
    stats.decisions++;
    const index = indexes[n];
    let a = a11;
    if (index) {
      const step = steps[n] as StepTable;
      if (!(present[n] as Set<number>).has(st[S_Y] as number)) stats.offGrid++;
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
