/**
 * The compact grid store (src/qknn/grids.ts): a grid point's kept slots give back the simulator's
 * whole state block (only the diagnostic reservoir-hit counter is dropped), the states are Int16 when
 * every value fits and widen to Int32 otherwise, and the memory plan (src/qknn/memory.ts) bounds what
 * a run really holds.
 */
import { describe, expect, it } from 'vitest';
import { jsScratch, lobEpisodes } from '../../src/baseline/lob-episodes.js';
import { nextWord, OUT_HI, OUT_LO, streamFromKey, unitFromWord } from '../../src/baseline/rng.js';
import { configBlock, initialState, paramBlock } from '../../src/lob/blocks.js';
import { streamBase } from '../../src/lob/harness.js';
import { intensityTable } from '../../src/lob/intensities.js';
import { OUT_STRIDE, S_HITS, STATE_SLOTS } from '../../src/lob/layout.js';
import {
  actionCount,
  actionLabels,
  type QknnConfigInput,
  qknnModel,
  resolveQknnConfig,
} from '../../src/qknn/config.js';
import { qknnFeatureSpec } from '../../src/qknn/features.js';
import { compactStates, GrowGrid, gridSlots, loadState, simulateGrids } from '../../src/qknn/grids.js';
import { qknnMemoryPlan, stateBound } from '../../src/qknn/memory.js';
import { streamKey } from '../../src/rng/streams.js';
import { zigguratTables } from '../../src/rng/ziggurat.js';

describe('compact grid states', () => {
  it('Int16 when every value fits, Int32 beyond ±32767 (never clipped)', () => {
    const fits = compactStates(Int32Array.of(-32768, 0, 32767));
    expect(fits).toBeInstanceOf(Int16Array);
    expect(Array.from(fits)).toEqual([-32768, 0, 32767]);
    const wide = compactStates(Int32Array.of(1, 32768, -5));
    expect(wide).toBeInstanceOf(Int32Array);
    expect(Array.from(wide)).toEqual([1, 32768, -5]);
    expect(compactStates(Int32Array.of(-32769))).toBeInstanceOf(Int32Array);
    expect(fits.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it("the simulation's growing blocks widen to Int32 at the first value beyond Int16, keeping earlier points", () => {
    const slots = Int32Array.of(0, 2);
    const g = new GrowGrid(slots);
    const st = new Int32Array(STATE_SLOTS);
    const points: [number, number][] = [];
    // 5000 points span two blocks of 4096; the wide value arrives in the second
    for (let i = 0; i < 5000; i++) {
      st[0] = i - 2500;
      st[2] = i === 4500 ? 40_000 : -i;
      g.push(st, i / 8);
      points.push([st[0] as number, st[2] as number]);
    }
    expect(g.states.every((b) => b instanceof Int32Array)).toBe(true);
    points.forEach(([a, b], i) => {
      const [s, o] = g.at(i);
      expect([s[o], s[o + 1], g.time(i)]).toEqual([a, b, i / 8]);
    });
    const narrow = new GrowGrid(slots);
    narrow.push(st.fill(-32768), 0);
    expect(narrow.states[0]).toBeInstanceOf(Int16Array);
  });

  it.each<[string, QknnConfigInput]>([
    ['A1lim', { D: 40, T: 0.5, N: 20 }],
    ['A2lim16, hlr-dev', { D: 40, T: 0.5, N: 20, actions: 'A2lim16', regime: 'hlr-dev' }],
  ])('%s: every grid point restores a state the simulator visited at that step', (_, input) => {
    const c = resolveQknnConfig(input);
    const model = qknnModel(c);
    const spec = qknnFeatureSpec(c, model);
    const { grids } = simulateGrids(c, model, spec, 'A');
    // the simulator's full state blocks per step, recorded independently of the grid store: the same
    // episode and exploration streams, uniform exploration over the action indices (spec §4.2)
    const visited = grids.map(() => new Set<string>());
    const nA = actionCount(c);
    let rng: Int32Array = new Int32Array(10);
    const decide = (st: Int32Array, n: number, t: number): readonly [number, number] => {
      const copy = Int32Array.from(st.subarray(0, STATE_SLOTS));
      copy[S_HITS] = 0;
      visited[n]?.add(`${t}|${copy.join(',')}`);
      nextWord(rng);
      const u = unitFromWord(rng[OUT_HI] as number, rng[OUT_LO] as number);
      return actionLabels(c.actions, Math.min(nA - 1, Math.floor(u * nA)));
    };
    const cfg = configBlock(model, 0);
    for (let k = 0; k < c.D; k++) {
      rng = streamFromKey(streamKey('qknn-explore/A', c.run, k));
      lobEpisodes(
        cfg,
        paramBlock(model),
        intensityTable(model),
        zigguratTables(),
        initialState(model),
        jsScratch(),
        new Float64Array(OUT_STRIDE),
        streamBase('qknn-train/A', c.run),
        k,
        k + 1,
        decide,
      );
    }
    const st = new Int32Array(STATE_SLOTS);
    let points = 0;
    grids.forEach((g, n) => {
      expect(g.slots).toEqual(gridSlots(c.actions, model.K));
      expect(g.states).toBeInstanceOf(Int16Array);
      for (let i = 0; i < g.count; i++) {
        expect(visited[n]?.has(`${g.times[i]}|${loadState(g, i, st).join(',')}`)).toBe(true);
        points++;
      }
    });
    // step 0 is the one initial state; later steps hold many
    expect(grids[0]?.count).toBe(1);
    expect(points).toBeGreaterThan(100);
  });

  it('the plan bounds the stored bytes and the state values of a real run', () => {
    const c = resolveQknnConfig({ D: 300, T: 1, N: 50 });
    const model = qknnModel(c);
    const spec = qknnFeatureSpec(c, model);
    const plan = qknnMemoryPlan(c);
    // 8 fixed slots + 2K queues (K = 3) as Int16, and an f64 time
    expect(plan.statePointBytes).toBe((8 + 6) * 2 + 8);
    expect(plan.stateWidth).toBe(2);
    let bytes = 0;
    let largest = 0;
    for (const set of ['A', 'B']) {
      const { grids } = simulateGrids(c, model, spec, set);
      for (const g of grids) {
        bytes += g.states.byteLength + g.times.byteLength;
        expect(g.count).toBeLessThanOrEqual(c.D);
        for (const v of g.states) largest = Math.max(largest, Math.abs(v));
      }
    }
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(2 * c.D * model.maxEvents * plan.statePointBytes);
    expect(largest).toBeLessThanOrEqual(stateBound(c));
  });

  it('wide bounds plan Int32 states; the plan is linear in D', () => {
    // hlr-dev: N = 100, so cash can reach 100 × (price bound) > 32767 in the plan
    const hlr = qknnMemoryPlan(resolveQknnConfig({ regime: 'hlr-dev', D: 1000 }));
    expect(hlr.stateWidth).toBe(4);
    const small = qknnMemoryPlan(resolveQknnConfig({ D: 1000 }));
    const big = qknnMemoryPlan(resolveQknnConfig({ D: 1_000_000 }));
    expect(big.gridBytes).toBe(1000 * small.gridBytes);
    expect(big.need.mainBytes).toBeGreaterThan(small.need.mainBytes * 999);
  });
});
