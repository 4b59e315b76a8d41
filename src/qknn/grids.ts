/**
 * Training grids (spec §4.2): D trajectories of the order-book simulator (the JS twin of the kernel,
 * same streams) under a randomised control, recording the pre-decision state (T_n, Z_n) at every
 * decision n = 0..N−1 before T. Episode k of grid set `set` simulates with streamKey(`qknn-train/set`,
 * run, k) and explores with streamKey(`qknn-explore/set`, run, k), so a grid depends only on
 * (configuration, set, run) and can be regenerated from its seeds.
 */
import { jsScratch, lobEpisodes } from '../baseline/lob-episodes.js';
import { nextWord, OUT_HI, OUT_LO, streamFromKey, unitFromWord } from '../baseline/rng.js';
import { configBlock, initialState, paramBlock } from '../lob/blocks.js';
import { streamBase } from '../lob/harness.js';
import { intensityTable } from '../lob/intensities.js';
import { OUT_STRIDE, STATE_SLOTS } from '../lob/layout.js';
import type { LobModel } from '../lob/model.js';
import { streamKey } from '../rng/streams.js';
import { zigguratTables } from '../rng/ziggurat.js';
import { action11, actionCount, actionLabels, type QknnConfig } from './config.js';
import { type FeatureSpec, featurize } from './features.js';

/** One step's grid: pre-decision states, their times and feature vectors (row-major, d per point). */
export interface StepGrid {
  count: number;
  states: Int32Array;
  times: Float64Array;
  feats: Float64Array;
  /** Product time mode: the step's time points (values are count × taus.length, src/qknn/product.ts). */
  taus?: Float64Array;
}

/** One step's simulated pairs before de-duplication (count used entries). */
export interface RawGrid {
  readonly count: number;
  readonly states: Int32Array;
  readonly times: Float64Array;
}

/** Values per grid point of a step: one per time point in product mode, else one. */
export function pointWidth(g: { readonly taus?: Float64Array | undefined }): number {
  return g.taus?.length ?? 1;
}

class GrowGrid {
  count = 0;
  states = new Int32Array(64 * STATE_SLOTS);
  times = new Float64Array(64);
  push(st: Int32Array, t: number): void {
    if (this.count === this.times.length) {
      const s = new Int32Array(this.states.length * 2);
      s.set(this.states);
      this.states = s;
      const tt = new Float64Array(this.times.length * 2);
      tt.set(this.times);
      this.times = tt;
    }
    this.states.set(st, this.count * STATE_SLOTS);
    this.times[this.count++] = t;
  }
}

/** The simulated grids Γ_0..Γ_{N−1} of one set (by default de-duplicated on their feature vectors). */
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
  const steps = Array.from({ length: N }, () => new GrowGrid());
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
  const grids = steps.map((g) => {
    raw += g.count;
    return reduce(g, spec);
  });
  return { grids, simulateMs: performance.now() - t0, raw };
}

/** Keeps the first point of every distinct feature vector. */
function dedup(g: RawGrid, spec: FeatureSpec): StepGrid {
  const { d } = spec;
  const feats = new Float64Array(g.count * d);
  const row = new Float64Array(d);
  const seen = new Set<string>();
  const keep: number[] = [];
  for (let i = 0; i < g.count; i++) {
    featurize(spec, g.states.subarray(i * STATE_SLOTS, (i + 1) * STATE_SLOTS), g.times[i] as number, row, 0);
    const key = row.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    feats.set(row, keep.length * d);
    keep.push(i);
  }
  const count = keep.length;
  const states: Int32Array = new Int32Array(count * STATE_SLOTS);
  const times = new Float64Array(count);
  keep.forEach((i, j) => {
    states.set(g.states.subarray(i * STATE_SLOTS, (i + 1) * STATE_SLOTS), j * STATE_SLOTS);
    times[j] = g.times[i] as number;
  });
  return { count, states, times, feats: feats.slice(0, count * d) };
}
