/**
 * The batched enumeration kernel (assembly/qknn/enumerate.ts) writes the same bits as its TS twin
 * (src/baseline/qknn-enumerate.ts): q0, the query rows, the successor cache's row sharing and every
 * contribution (row, target, weight, base), on states simulated under each configuration, for every
 * action class (A1lim, A2lim, A2lim16 with both L2 rules), canonical features on and off, both
 * truncations, the three cancel rules, peg, intensities counting MM orders, the close-out rule with η,
 * both p_ref, Φ = g and 0 at the last step, a fixed single action, and chunks that start inside the grid.
 * Every other grid point gets a time close to T (so the quantizer's cut cell, the survival e^{−h} and the
 * paper-literal lost mass all vary) and a non-zero inventory (so g − ref and the close-out matter): with
 * the module's own exp in place of the host's, this test fails.
 * Both builds: the checked debug build justifies the unchecked release one.
 */
import { describe, expect, it } from 'vitest';
import { EnumeratorJs, enumerationSetup, type SuccessorBatch } from '../../src/baseline/qknn-enumerate.js';
import { EnumerateKernel } from '../../src/kernels/qknn-enumerate.js';
import { S_Y, STATE_SLOTS } from '../../src/lob/layout.js';
import { type LobModelInput, resolveModel } from '../../src/lob/model.js';
import { type QknnConfigInput, qknnModel, resolveQknnConfig } from '../../src/qknn/config.js';
import { qknnFeatureSpec } from '../../src/qknn/features.js';
import { simulateGrids } from '../../src/qknn/grids.js';
import { expQuantizer } from '../../src/qknn/quantizer.js';
import { BUILDS, instance } from '../support/builds.js';

const CHUNK = 64;

interface Case {
  readonly name: string;
  readonly c: QknnConfigInput;
  readonly m?: Partial<LobModelInput>;
}

const CASES: readonly Case[] = [
  { name: 'A1lim, recommended', c: {} },
  { name: 'A1lim, not canonical, p_ref = p_b', c: { canonical: false, pRef: 'pb' } },
  { name: 'A1lim, paper-literal truncation, L = 5', c: { truncation: 'paper-literal', L: 5 } },
  { name: 'A1lim, cancels behind, peg', c: {}, m: { cancelRule: 'behind', peg: true } },
  {
    name: 'A1lim, cancels ahead, intensities count MM orders, close-out + tick, η',
    c: {},
    m: { cancelRule: 'ahead', intensityCountsMM: true, liquidation: 'walk_plus_one_tick', eta: 0.05 },
  },
  {
    name: 'A2lim, hlr-dev regime (reservoir), trend',
    c: { actions: 'A2lim', regime: 'hlr-dev', trend: 0.3 },
  },
  {
    name: 'A2lim, one_tick, not canonical, Φ = 0',
    c: { actions: 'A2lim', l2: 'one_tick', canonical: false, phi: 'zero' },
  },
  { name: 'A2lim16, next non-empty L2', c: { actions: 'A2lim16' } },
  { name: 'A2lim16, one_tick, not canonical', c: { actions: 'A2lim16', l2: 'one_tick', canonical: false } },
  {
    name: 'A2lim16, paper-literal, cancels ahead, peg',
    c: { actions: 'A2lim16', truncation: 'paper-literal' },
    m: { cancelRule: 'ahead', peg: true },
  },
  { name: 'ahp regime (K = 2, T = 8), A1lim, L = 16', c: { regime: 'ahp', L: 16 } },
];

/** The batch's outputs as bytes (equal bytes: the same bits, signed zeros and NaNs included). */
function bytesOf(b: SuccessorBatch, d: number, q0: Float64Array): Buffer {
  const part = (a: ArrayBufferView, n: number, size: number) => Buffer.from(a.buffer, a.byteOffset, n * size);
  return Buffer.concat([
    Buffer.from(Int32Array.from([b.nq, b.nc]).buffer),
    part(q0, q0.length, 8),
    part(b.qFeat, b.nq * d, 8),
    part(b.cRow, b.nc, 4),
    part(b.cTarget, b.nc, 4),
    part(b.cWeight, b.nc, 8),
    part(b.cBase, b.nc, 8),
  ]);
}

describe.each(BUILDS)('Qknn enumeration kernel = TS twin (%s build)', (build) => {
  for (const { name, c: cin, m: mover } of CASES)
    it(name, async () => {
      const c = resolveQknnConfig({ T: 0.6, N: 12, D: 40, ...cin });
      const base = qknnModel(c);
      const model = mover ? resolveModel(c.regime, { ...base, ...mover }) : base;
      const spec = qknnFeatureSpec(c, model);
      const setup = enumerationSetup(c, model, spec, expQuantizer(c.L), CHUNK);
      const twin = new EnumeratorJs(setup);
      const kernel = new EnumerateKernel(await instance(build), setup);
      const { grids } = simulateGrids(c, model, spec, 'A');
      let seed = 12345;
      const unit = () => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return seed / 2 ** 32;
      };
      for (const g of grids)
        for (let i = 0; i < g.count; i += 2) {
          g.times[i] = model.T * (1 - unit() ** 3);
          g.states[i * STATE_SLOTS + S_Y] = Math.floor(unit() * 7) - 3;
        }
      const all = Array.from({ length: setup.nA }, (_, a) => a);
      let compared = 0;
      let queries = 0;
      for (const g of grids.filter((x) => x.count > 0).slice(0, 8))
        for (const [actions, hasNext] of [
          [all, true],
          [all, false],
          [[3], true],
        ] as const)
          for (let from = 0; from < g.count; from += CHUNK - 7) {
            const to = Math.min(g.count, from + CHUNK);
            // a non-zero q0 on entry: the kernel adds to it, as the twin does
            const q0j = Float64Array.from({ length: CHUNK * setup.nA }, (_, i) => i * 0.25);
            const q0k = q0j.slice();
            twin.enumerate(g.states, g.times, from, to, actions, hasNext, q0j);
            kernel.enumerate(g.states, g.times, from, to, actions, hasNext, q0k);
            expect(bytesOf(kernel, spec.d, q0k).equals(bytesOf(twin, spec.d, q0j))).toBe(true);
            compared += to - from;
            queries += twin.nq;
          }
      // the comparison is not vacuous: grid points and query rows were written
      expect(compared).toBeGreaterThan(100);
      expect(queries).toBeGreaterThan(1000);
    });
});
