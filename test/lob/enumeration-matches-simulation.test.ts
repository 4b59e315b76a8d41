// Successor enumeration (spec §4.4): every event with its probability, a cancel at the level of an MM
// order with rank > 1 split into its two branches. Probabilities sum to 1; the kernel agrees with the
// twin; sampled events (the episode loop's selection code) match the enumerated probabilities by a
// chi-square test at the 0.1 % level.
import { describe, expect, it } from 'vitest';
import { type LobModel, resolveModel } from '../../src/lob/model.js';
import { streamKey } from '../../src/rng/streams.js';
import { BUILDS } from '../support/builds.js';
import { type BookSpec, book, bookEngine } from './support.js';

const CASES: [string, LobModel, BookSpec][] = [
  [
    'R-const, MM orders at rank 3 (ask) and 2 (bid)',
    resolveModel('const'),
    {
      pb: 100,
      pa: 101,
      a: [4, 2, 3],
      b: [3, 1, 2],
      ask: { price: 101, rank: 3 },
      bid: { price: 100, rank: 2 },
    },
  ],
  [
    'R-hlr-dev, spread 2, MM ask at L2 with rank 2',
    resolveModel('hlr-dev', { actions: 'A2lim' }),
    { pb: 100, pa: 102, a: [0, 5, 2], b: [0, 3, 1], ask: { price: 103, rank: 2 } },
  ],
  [
    'R-const A2lim-16, two MM sell orders with ranks > 1',
    resolveModel('const', { actions: 'A2lim16' }),
    {
      pb: 100,
      pa: 101,
      a: [3, 4, 2],
      b: [2, 2, 2],
      ask: { price: 102, rank: 3 },
      ask2: { price: 101, rank: 2 },
    },
  ],
  [
    'R-ahp, level-1 ask empty (variant tables)',
    resolveModel('ahp'),
    { pb: 100, pa: 102, a: [0, 3], b: [0, 2], bid: { price: 100, rank: 2 } },
  ],
];

/** Upper 0.1 % point of χ²(k) by the Wilson–Hilferty approximation (z = 3.0902). */
function chiSquareCritical(k: number): number {
  const c = 2 / (9 * k);
  return k * (1 - c + 3.0902 * Math.sqrt(c)) ** 3;
}

describe.each(BUILDS)('successor enumeration (%s build)', (build) => {
  it.each(CASES)('%s: probabilities sum to 1 and equal the twin', async (_name, m, spec) => {
    const wasm = await bookEngine(build, m);
    const js = await bookEngine('js', m);
    wasm.load(book(spec));
    js.load(book(spec));
    const a = wasm.successors(),
      b = js.successors();
    expect(a.probs.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 14);
    expect(Array.from(a.codes)).toEqual(Array.from(b.codes));
    expect(Array.from(a.probs)).toEqual(Array.from(b.probs));
    expect(a.states.map((s) => Array.from(s))).toEqual(b.states.map((s) => Array.from(s)));
    // Both cancel branches are present wherever an MM order with rank > 1 rests.
    const codes = new Set(a.codes);
    const split = [...codes].filter((c) => c % 2 === 1).map((c) => c >> 1);
    for (const e of split) expect(codes.has(2 * e)).toBe(true);
    expect(split.length).toBeGreaterThan(0);
  });

  it.each(CASES)(
    '%s: 200,000 sampled events match the enumeration (χ², p > 0.001)',
    async (_name, m, spec) => {
      const eng = await bookEngine(build, m);
      const kernel = eng.kernel;
      if (!kernel) throw new Error('wasm engine expected');
      const start = book(spec);
      eng.load(start);
      const { probs, codes, states } = eng.successors();
      const index = new Map(Array.from(codes, (c, i) => [c, i]));
      const counts = new Float64Array(codes.length);
      const n = 200_000;
      kernel.seed(streamKey('test/lob/enumeration', 0, build === 'debug' ? 1 : 2));
      for (let k = 0; k < n; k++) {
        kernel.setState(start);
        const code = kernel.sampleEvent();
        const i = index.get(code);
        if (i === undefined) throw new Error(`sampled code ${code} is not enumerated`);
        if (counts[i] === 0) expect(Array.from(kernel.state())).toEqual(Array.from(states[i] as Int32Array));
        counts[i] = (counts[i] as number) + 1;
      }
      let chi2 = 0;
      probs.forEach((p, i) => {
        chi2 += ((counts[i] as number) - n * p) ** 2 / (n * p);
      });
      expect(chi2).toBeLessThan(chiSquareCritical(codes.length - 1));
    },
  );
});
