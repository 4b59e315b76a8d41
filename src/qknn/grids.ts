/**
 * Training grids (spec §4.2): D trajectories of the order-book simulator (the JS twin of the kernel,
 * same streams) under a randomised control, recording the pre-decision state (T_n, Z_n) at every
 * decision n = 0..N−1 before T. Episode k of grid set `set` simulates with streamKey(`qknn-train/set`,
 * run, k) and explores with streamKey(`qknn-explore/set`, run, k), so a grid depends only on
 * (configuration, set, run) and can be regenerated from its seeds.
 *
 * Storage (the memory plan, README "Memory"): a grid keeps per point only the state slots the
 * configuration can make non-zero (`gridSlots`: prices, cash, inventory, the MM orders, the K frame
 * levels per side; the A2lim16 second orders only under A2lim16), as Int16 when every kept value of
 * the step fits, else Int32, and the time as f64 (the features and hence Û/Â depend on its exact
 * bits). The reservoir-hit counter is a diagnostic nothing in training reads; it is not kept. Feature
 * vectors are not stored: `gridFeatures` computes them when a step's index is built. The arrays live
 * in SharedArrayBuffers, so the pool's workers read them in place.
 */
import { jsScratch, lobEpisodes } from '../baseline/lob-episodes.js';
import { nextWord, OUT_HI, OUT_LO, streamFromKey, unitFromWord } from '../baseline/rng.js';
import { configBlock, initialState, paramBlock } from '../lob/blocks.js';
import { streamBase } from '../lob/harness.js';
import { intensityTable } from '../lob/intensities.js';
import {
  OUT_STRIDE,
  S_A,
  S_ASK_PRICE,
  S_ASK_RANK,
  S_ASK2_PRICE,
  S_ASK2_RANK,
  S_B,
  S_BID_PRICE,
  S_BID_RANK,
  S_BID2_PRICE,
  S_BID2_RANK,
  S_HITS,
  S_PA,
  S_PB,
  S_X,
  S_Y,
  STATE_SLOTS,
} from '../lob/layout.js';
import type { LobModel } from '../lob/model.js';
import { streamKey } from '../rng/streams.js';
import { zigguratTables } from '../rng/ziggurat.js';
import { action11, actionCount, actionLabels, type QknnConfig } from './config.js';
import { type FeatureSpec, featurize } from './features.js';

/**
 * One step's grid: `count` pre-decision states, `slots.length` values per point (row-major; column j
 * holds state slot slots[j], every other slot is 0), and their times.
 */
export interface StepGrid {
  readonly count: number;
  readonly slots: Int32Array;
  readonly states: Int16Array | Int32Array;
  readonly times: Float64Array;
  /** Product time mode: the step's time points (values are count × taus.length, src/qknn/product.ts). */
  readonly taus?: Float64Array;
}

/** Values per grid point of a step: one per time point in product mode, else one. */
export function pointWidth(g: { readonly taus?: Float64Array | undefined }): number {
  return g.taus?.length ?? 1;
}

/** Feature vectors of a step's points (row-major, d per point): what a nearest-neighbour index is built over. */
export interface GridFeatures {
  readonly count: number;
  readonly feats: Float64Array;
}

/** The state slots a grid keeps under a configuration on a model with K frame levels. */
export function gridSlots(actions: QknnConfig['actions'], K: number): Int32Array {
  const slots = [S_PB, S_PA, S_X, S_Y, S_ASK_PRICE, S_ASK_RANK, S_BID_PRICE, S_BID_RANK];
  for (let i = 0; i < K; i++) slots.push(S_A + i);
  for (let i = 0; i < K; i++) slots.push(S_B + i);
  if (actions === 'A2lim16') slots.push(S_ASK2_PRICE, S_ASK2_RANK, S_BID2_PRICE, S_BID2_RANK);
  return Int32Array.from(slots);
}

/** Writes point i's full state block into out (STATE_SLOTS values). */
export function loadState(g: StepGrid, i: number, out: Int32Array): Int32Array {
  const { slots, states } = g;
  const w = slots.length;
  out.fill(0, 0, STATE_SLOTS);
  for (let j = 0; j < w; j++) out[slots[j] as number] = states[i * w + j] as number;
  return out;
}

/** Every point's whole state block (count × STATE_SLOTS), for code that reads full blocks (tests, benches). */
export function fullStates(g: StepGrid): Int32Array {
  const out = new Int32Array(g.count * STATE_SLOTS);
  const st = new Int32Array(STATE_SLOTS);
  for (let i = 0; i < g.count; i++) out.set(loadState(g, i, st), i * STATE_SLOTS);
  return out;
}

/**
 * The feature vectors of a step's grid (computed on demand, never stored with the grid); in product
 * time mode the state features alone, taken at time to go 0.
 */
export function gridFeatures(spec: FeatureSpec, g: StepGrid): GridFeatures {
  const { d } = spec;
  const feats = new Float64Array(g.count * d);
  const st = new Int32Array(STATE_SLOTS);
  for (let i = 0; i < g.count; i++)
    featurize(spec, loadState(g, i, st), g.taus ? spec.T : (g.times[i] as number), feats, i * d);
  return { count: g.count, feats };
}

/** States in shared memory, as Int16 when every value fits (else Int32: the layout widens, never clips). */
export function compactStates(values: Int32Array): Int16Array | Int32Array {
  let narrow = true;
  for (const v of values)
    if (v < -32768 || v > 32767) {
      narrow = false;
      break;
    }
  const out = narrow
    ? new Int16Array(new SharedArrayBuffer(values.length * 2))
    : new Int32Array(new SharedArrayBuffer(values.length * 4));
  out.set(values);
  return out;
}

const SHIFT = 12;
const BLOCK = 1 << SHIFT;

/**
 * A growing step grid in fixed blocks (no copy when it grows): kept slots as Int16 until a value
 * needs more (then every block is widened to Int32 once), times as f64.
 */
export class GrowGrid implements RawGrid {
  count = 0;
  states: (Int16Array | Int32Array)[] = [];
  readonly times: Float64Array[] = [];
  private wide = false;
  constructor(readonly slots: Int32Array) {}
  push(st: Int32Array, t: number): void {
    const w = this.slots.length;
    const b = this.count >> SHIFT,
      o = this.count & (BLOCK - 1);
    if (o === 0) {
      this.states.push(this.wide ? new Int32Array(BLOCK * w) : new Int16Array(BLOCK * w));
      this.times.push(new Float64Array(BLOCK));
    }
    if (!this.wide)
      for (let j = 0; j < w; j++) {
        const v = st[this.slots[j] as number] as number;
        if (v < -32768 || v > 32767) {
          this.states = this.states.map((s) => Int32Array.from(s));
          this.wide = true;
          break;
        }
      }
    const s = this.states[b] as Int16Array | Int32Array;
    for (let j = 0; j < w; j++) s[o * w + j] = st[this.slots[j] as number] as number;
    (this.times[b] as Float64Array)[o] = t;
    this.count++;
  }
  /** Point i's kept values (w of them) at block[offset..]. */
  at(i: number): [Int16Array | Int32Array, number] {
    return [this.states[i >> SHIFT] as Int16Array | Int32Array, (i & (BLOCK - 1)) * this.slots.length];
  }
  time(i: number): number {
    return (this.times[i >> SHIFT] as Float64Array)[i & (BLOCK - 1)] as number;
  }
  load(i: number, out: Int32Array): Int32Array {
    const [s, o] = this.at(i);
    out.fill(0, 0, STATE_SLOTS);
    for (let j = 0; j < this.slots.length; j++) out[this.slots[j] as number] = s[o + j] as number;
    return out;
  }
}

/** One step's simulated pairs before the grid is formed (src/qknn/product.ts builds its own grids). */
export interface RawGrid {
  readonly count: number;
  readonly slots: Int32Array;
  /** Point i's kept values (slots.length of them) at block[offset..], its time, its full state block. */
  at(i: number): [Int16Array | Int32Array, number];
  time(i: number): number;
  load(i: number, out: Int32Array): Int32Array;
}

/** A step grid of the raw points `keep` (in that order), its states compacted into shared memory. */
export function gridOf(g: RawGrid, keep: readonly number[], taus?: Float64Array): StepGrid {
  const w = g.slots.length;
  const count = keep.length;
  const values = new Int32Array(count * w);
  const times = new Float64Array(new SharedArrayBuffer(count * 8));
  keep.forEach((i, k) => {
    const [s, o] = g.at(i);
    values.set(s.subarray(o, o + w), k * w);
    times[k] = g.time(i);
  });
  return { count, slots: g.slots, states: compactStates(values), times, ...(taus ? { taus } : {}) };
}

/** Throws if st holds a non-zero value in a slot the grid does not keep (the layout would lose it). */
function checkDropped(st: Int32Array, kept: Uint8Array): void {
  for (let s = 0; s < STATE_SLOTS; s++)
    if (kept[s] === 0 && st[s] !== 0 && s !== S_HITS)
      throw new Error(`qknn: grid state slot ${s} is ${st[s]}, but the grid layout does not keep it`);
}

/** The simulated grids Γ_0..Γ_{N−1} of one set, de-duplicated on their feature vectors. */
export function simulateGrids(
  c: QknnConfig,
  model: LobModel,
  spec: FeatureSpec,
  set: string,
  /** Turns a step's simulated pairs into its grid (default: de-duplicated on the feature vectors). */
  reduce: (g: RawGrid, spec: FeatureSpec) => StepGrid = dedup,
): { grids: StepGrid[]; simulateMs: number; raw: number } {
  const t0 = performance.now();
  const N = model.maxEvents;
  const slots = gridSlots(c.actions, model.K);
  const kept = new Uint8Array(STATE_SLOTS);
  for (const s of slots) kept[s] = 1;
  const steps: (GrowGrid | null)[] = Array.from({ length: N }, () => new GrowGrid(slots));
  const cfg = configBlock(model, 0);
  const nA = actionCount(c);
  const scratch = jsScratch();
  const out = new Float64Array(OUT_STRIDE);
  const base = streamBase(`qknn-train/${set}`, c.run);
  const zig = zigguratTables();
  const tbl = intensityTable(model);
  const prm = paramBlock(model);
  const init = initialState(model);
  let prev = 0;
  let rng: Int32Array = new Int32Array(10);
  const draw = () => {
    nextWord(rng);
    return unitFromWord(rng[OUT_HI] as number, rng[OUT_LO] as number);
  };
  const decide = (st: Int32Array, n: number, t: number): readonly [number, number] => {
    checkDropped(st, kept);
    steps[n]?.push(st, t);
    let a: number;
    if (c.explore === 'sticky' && n > 0 && draw() < c.rho) a = prev;
    else if (c.explore === 'mix11' && draw() < c.mix) a = action11(c.actions);
    else a = Math.min(nA - 1, Math.floor(draw() * nA));
    prev = a;
    return actionLabels(c.actions, a);
  };
  for (let k = 0; k < c.D; k++) {
    rng = streamFromKey(streamKey(`qknn-explore/${set}`, c.run, k));
    const status = lobEpisodes(cfg, prm, tbl, zig, init, scratch, out, base, k, k + 1, decide);
    if (status) throw new Error(`qknn: non-finite total intensity in training episode ${k} of set ${set}`);
  }
  let raw = 0;
  const grids: StepGrid[] = [];
  for (let n = 0; n < N; n++) {
    const g = steps[n] as GrowGrid;
    raw += g.count;
    grids.push(reduce(g, spec));
    steps[n] = null; // the raw step is garbage from here on
  }
  return { grids, simulateMs: performance.now() - t0, raw };
}

/** Keeps the first point of every distinct feature vector, in the narrowest width that holds the step. */
function dedup(g: RawGrid, spec: FeatureSpec): StepGrid {
  const row = new Float64Array(spec.d);
  const st = new Int32Array(STATE_SLOTS);
  const seen = new Set<string>();
  const keep: number[] = [];
  for (let i = 0; i < g.count; i++) {
    featurize(spec, g.load(i, st), g.time(i), row, 0);
    const key = row.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    keep.push(i);
  }
  return gridOf(g, keep);
}
