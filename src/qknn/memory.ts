/**
 * The memory plan of a Qknn training run, computed from its configuration before anything is
 * allocated (README "Memory"), in the run session's terms (src/runner/plan.ts) so that the session's
 * one check (src/commands/session.ts, checkMemory) refuses a run that exceeds the machine.
 *
 * Bounds, not expectations: every trajectory is counted at every one of the N steps (in R-const with
 * T = 1 about half of them are reached), a step holds at most D points, and every index is costed as if
 * each point formed its own class.
 */
import { splitCachesBytes } from '../kernels/knn.js';
import type { MemoryNeed } from '../runner/plan.js';
import { actionCount, type QknnConfig, qknnModel, timePoints } from './config.js';
import { qknnFeatureSpec } from './features.js';
import { gridSlots } from './grids.js';

const MiB = 2 ** 20;
/** Grid points per enumeration chunk (src/qknn/solver.ts) — its query batch is the solver's scratch. */
const CHUNK = 512;

export interface QknnMemoryPlan {
  /** Bytes per grid point stored for every step: compact state, time; Û and Â of the policy set. */
  readonly statePointBytes: number;
  readonly valuePointBytes: number;
  /** Integer width of the states (2 when the bounds below fit Int16). */
  readonly stateWidth: 2 | 4;
  /** Bytes per point of one step's features and of one built index (host side, before sharing). */
  readonly featurePointBytes: number;
  readonly indexPointBytes: number;
  /** Totals: grids of all sets and steps, the live steps, the simulation's transient, one worker. */
  readonly gridBytes: number;
  readonly liveBytes: number;
  readonly simulationBytes: number;
  readonly workerBytes: number;
  /** A trained policy kept after training (set A's grids, Û, Â), and the indexes its evaluation builds. */
  readonly policyBytes: number;
  readonly policyIndexBytes: number;
  readonly need: MemoryNeed;
}

/**
 * The largest magnitude a kept state value can reach within N events from the initial book: a best
 * price moves at most K + 1 ticks per event, an MM order sits at most K + 1 ticks from the best, at
 * most one MM order fills per event (cash moves by one price, inventory by one), and a queue gains at
 * most one unit per event (a level entering the frame holds a∞/b∞). The grid checks the real values
 * (src/qknn/grids.ts) and widens a step to Int32 when they do not fit; this bound only sizes the plan.
 */
export function stateBound(c: QknnConfig): number {
  const m = qknnModel(c);
  const N = m.maxEvents;
  const p0 = m.initial.pb + m.initial.spread;
  const price = Math.abs(p0) + N * (m.K + 1) + 2 * (m.K + 1);
  const queue = Math.max(m.aInf, m.bInf, ...(m.initial.a ?? []), ...(m.initial.b ?? [])) + N + 1;
  return Math.max(price * N, price, queue, N);
}

/**
 * The memory plan of training configuration c (per pool worker in `need`; the session multiplies by
 * the threads). `evaluate`: the trained policy is then evaluated, which builds every step's index.
 */
export function qknnMemoryPlan(
  c: QknnConfig,
  opts: { readonly flag?: string; readonly evaluate?: boolean } = {},
): QknnMemoryPlan {
  const flag = opts.flag ?? '--D';
  const m = qknnModel(c);
  const { d } = qknnFeatureSpec(c, m);
  const N = m.maxEvents;
  const sets = c.estimator === 'double' ? 2 : 1;
  const slots = gridSlots(c.actions, m.K).length;
  const stateWidth = stateBound(c) <= 32767 ? 2 : 4;
  const statePointBytes = slots * stateWidth + 8;
  // Û (f64) and Â (one byte) per value: J of them per state in product time mode
  const valuePointBytes = 9 * timePoints(c);
  const featurePointBytes = 8 * d;
  // split index: scaled f32 row, class member id and f32 time, the bucket's member index, and per
  // class its state features twice (rows of the tree, and the kernel's interleaved lanes), offset and
  // tree node; the forest keeps a permutation and node per tree
  const indexPointBytes =
    c.index === 'forest' ? 4 * d + 4 + c.forestTrees * 16 : 4 * d + 12 + 8 * (d - 1) + 4 + 16;
  const perSet = c.D * N;
  const gridBytes = sets * perSet * statePointBytes + perSet * valuePointBytes;
  // per step: features of one step while its index is built (plus the f32 rows the build scales), the
  // indexes of steps n + 1 and n of every set, each also copied once into shared memory for the pool,
  // and the Û of steps n + 1 and n of every set
  const liveBytes = c.D * (featurePointBytes + 4 * d + 2 * sets * 2 * indexPointBytes + 2 * sets * 8);
  // simulating one set: its raw points in the same compact blocks, and one step's de-duplication keys
  const simulationBytes = perSet * statePointBytes + c.D * (24 * d + 64 + 4 * slots);
  // a worker: the query batch of one chunk (features f64, contributions, neighbour ids), its Q̂ rows,
  // and the WASM kernel's copy of the largest bucket (a whole step) with the queries in f32 and its
  // candidate-list caches
  const nA = actionCount(c);
  const branches = 4 * m.K + 2 + (c.actions === 'A2lim16' ? 4 : 2);
  const maxQ = CHUNK * nA * branches * c.L;
  const workerHostBytes = maxQ * (8 * d + 24 + 4 * c.k) + 2 * CHUNK * nA * 8 + c.D * 9;
  // the split index's candidate-list caches (sized by the largest bucket, at most a whole step)
  const cacheBytes = c.index === 'auto' || c.index === 'split' ? splitCachesBytes(c.D, d) : 0;
  const kernelBytes = c.D * indexPointBytes + maxQ * (4 * d + 8 * c.k) + cacheBytes + 16 * MiB;
  const policyIndexBytes = perSet * indexPointBytes + c.D * featurePointBytes;
  const mainBytes = gridBytes + Math.max(liveBytes, simulationBytes, opts.evaluate ? policyIndexBytes : 0);
  return {
    statePointBytes,
    valuePointBytes,
    stateWidth,
    featurePointBytes,
    indexPointBytes,
    gridBytes,
    liveBytes,
    simulationBytes,
    workerBytes: workerHostBytes + kernelBytes,
    policyBytes: perSet * (statePointBytes + valuePointBytes),
    policyIndexBytes,
    need: {
      flag,
      kernelBytes,
      largestBlockBytes: c.D * 4 * d,
      workerHostBytes,
      mainBytes,
      fileBytes: perSet * (statePointBytes + valuePointBytes) * (4 / 3) + MiB,
    },
  };
}
