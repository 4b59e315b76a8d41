// Why the naive strategy 11 earns ≈ +9.5 ticks on R-const at T = 10 but only ≈ +0.06 at T = 1.
//
// An independent event-by-event simulation of R-const (spec §1.3–§1.8, written from the spec with
// books keyed by absolute price and its own random numbers; it shares no code with the engine)
// reproduces both horizons, and splits each episode's P&L exactly into
//   edge      Σ over fills of the distance to the mid at the fill (half the spread, ≥ 0.5),
//   drift     Σ y·Δmid over every quote move (adverse selection: fills precede adverse moves),
//   closeOut  L(y_T) − y_T·mid_T (liquidating the final inventory, ≤ 0).
// Edge and drift both grow linearly in T, the close-out cost only with |y_T| (≈ √T). At T = 1 the
// close-out cost (≈ 1.1) almost cancels the mark-to-mid profit (≈ 1.2), so the mean is small; at
// T = 10 the profit (≈ 15.6) dominates the cost (≈ 6.2). No events cap is hit at N = 400
// (q99.9 ≈ 332 events), and the sd grows faster than √T because the inventory (∝ √t) multiplies
// the mid's moves. Reference numbers (10⁵ episodes of each simulation at T = 1, 2·10⁴ at T = 10):
//   T = 1 refill : engine +0.059 ± 0.006, independent +0.062 ± 0.006; edge 1.97, drift −0.79, close-out −1.12
//   T = 10 refill: engine +9.56 ± 0.09,   independent +9.40 ± 0.09;  edge 25.0, drift −9.45, close-out −6.18
import { beforeAll, describe, expect, it } from 'vitest';
import { compileKernels } from '../../src/kernels/wasm.js';
import { runEpisodes } from '../../src/lob/engines.js';
import { streamBase } from '../../src/lob/harness.js';
import { resolveModel } from '../../src/lob/model.js';
import { builtinPolicy } from '../../src/lob/policies.js';
import { summarize } from '../../src/lob/stats.js';

interface Setting {
  readonly T: number;
  readonly refill: boolean;
}

/** R-const (spec §5.1): K = 3, λ_L = 2, θ = 0.5, λ_M = 5, a∞ = b∞ = 2, z₀ with spread 1 at pb = 100. */
const K = 3,
  LAMBDA_L = 2,
  THETA = 0.5,
  LAMBDA_M = 5,
  INF = 2;

/** mulberry32: a small generator unrelated to the engine's streams. */
function uniforms(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Order {
  price: number;
  rank: number;
}

interface Episode {
  pnl: number;
  events: number;
  fills: number;
  y: number;
  edge: number;
  drift: number;
  closeOut: number;
}

/** One episode of the 11 strategy (join or keep the best quote on both sides after every event). */
function episode(set: Setting, u: () => number): Episode {
  let pb = 100,
    pa = 101;
  // Others' units by absolute price; keys are exactly the frame's prices (asks pb+1..pb+K, bids pa−1..pa−K).
  let asks = new Map<number, number>(),
    bids = new Map<number, number>();
  for (let i = 1; i <= K; i++) {
    asks.set(pb + i, INF);
    bids.set(pa - i, INF);
  }
  let sell = null as Order | null,
    buy = null as Order | null;
  let x = 0,
    y = 0,
    t = 0,
    events = 0,
    fills = 0,
    edge = 0,
    drift = 0;
  const mid = () => (pa + pb) / 2;
  const askAt = (p: number) => (asks.get(p) ?? 0) + (sell?.price === p ? 1 : 0);
  const bidAt = (p: number) => (bids.get(p) ?? 0) + (buy?.price === p ? 1 : 0);
  // Quotes from the total book; a frame re-keyed to its new anchor keeps known prices, takes the
  // boundary level for prices coming from beyond it and 0 for prices coming from the other side.
  const reanchorRaw = () => {
    let ia = K + 1;
    for (let i = 1; i <= K && ia > K; i++) if (askAt(pb + i) > 0) ia = i;
    if (ia > K && set.refill) {
      asks.set(pb + K, INF);
      ia = K;
    }
    if (pb + ia !== pa) {
      const oldPa = pa;
      pa = pb + ia;
      const next = new Map<number, number>();
      for (let j = 1; j <= K; j++) {
        const p = pa - j;
        next.set(p, bids.get(p) ?? (p < oldPa - K ? INF : 0));
      }
      bids = next;
    }
    let jb = K + 1;
    for (let j = 1; j <= K && jb > K; j++) if (bidAt(pa - j) > 0) jb = j;
    if (jb > K && set.refill) {
      bids.set(pa - K, INF);
      jb = K;
    }
    if (pa - jb !== pb) {
      const oldPb = pb;
      pb = pa - jb;
      const next = new Map<number, number>();
      for (let i = 1; i <= K; i++) {
        const p = pb + i;
        next.set(p, asks.get(p) ?? (p > oldPb + K ? INF : 0));
      }
      asks = next;
    }
    if (sell && (sell.price - pb < 1 || sell.price - pb > K)) sell = null;
    if (buy && (pa - buy.price < 1 || pa - buy.price > K)) buy = null;
  };
  const reanchor = () => {
    const m = mid();
    reanchorRaw();
    drift += y * (mid() - m);
  };
  const decide = () => {
    let cancelled = false;
    if (sell && sell.price !== pa) {
      sell = null;
      cancelled = true;
    }
    if (buy && buy.price !== pb) {
      buy = null;
      cancelled = true;
    }
    if (cancelled) reanchor();
    if (pa - pb > K) return; // no orders at a reservoir quote
    sell ??= { price: pa, rank: (asks.get(pa) ?? 0) + 1 };
    buy ??= { price: pb, rank: (bids.get(pb) ?? 0) + 1 };
  };
  const rates = new Float64Array(4 * K + 2).fill(LAMBDA_L);
  rates[0] = LAMBDA_M;
  rates[1] = LAMBDA_M;
  decide();
  for (;;) {
    // M+, M−, L+ by level, L− by level, C+ by level, C− by level.
    let total = 2 * LAMBDA_M + 2 * K * LAMBDA_L;
    for (let i = 1; i <= K; i++) {
      rates[1 + 2 * K + i] = THETA * (asks.get(pb + i) ?? 0);
      rates[1 + 3 * K + i] = THETA * (bids.get(pa - i) ?? 0);
      total += (rates[1 + 2 * K + i] as number) + (rates[1 + 3 * K + i] as number);
    }
    const wait = -Math.log(1 - u()) / total;
    if (t + wait > set.T) break;
    t += wait;
    let target = u() * total,
      e = 0;
    while (e < rates.length - 1 && target >= (rates[e] as number)) target -= rates[e++] as number;
    const inFrame = pa - pb <= K;
    if (e === 0 && inFrame) {
      if (sell?.price === pa && sell.rank === 1) {
        x += pa;
        y -= 1;
        edge += pa - mid();
        fills++;
        sell = null;
      } else {
        asks.set(pa, (asks.get(pa) as number) - 1);
        if (sell?.price === pa) sell.rank--;
      }
    } else if (e === 1 && inFrame) {
      if (buy?.price === pb && buy.rank === 1) {
        x -= pb;
        y += 1;
        edge += mid() - pb;
        fills++;
        buy = null;
      } else {
        bids.set(pb, (bids.get(pb) as number) - 1);
        if (buy?.price === pb) buy.rank--;
      }
    } else if (e >= 2 && e < 2 + K) asks.set(pb + e - 1, (asks.get(pb + e - 1) as number) + 1);
    else if (e >= 2 + K && e < 2 + 2 * K)
      bids.set(pa - (e - 1 - K), (bids.get(pa - (e - 1 - K)) as number) + 1);
    else if (e >= 2 + 2 * K && e < 2 + 3 * K) {
      const p = pb + (e - 1 - 2 * K),
        q = asks.get(p) as number;
      if (sell?.price === p && sell.rank > 1 && u() * q < sell.rank - 1) sell.rank--;
      asks.set(p, q - 1);
    } else if (e >= 2 + 3 * K) {
      const p = pa - (e - 1 - 3 * K),
        q = bids.get(p) as number;
      if (buy?.price === p && buy.rank > 1 && u() * q < buy.rank - 1) buy.rank--;
      bids.set(p, q - 1);
    }
    reanchor();
    events++;
    decide();
  }
  sell = null;
  buy = null;
  reanchor();
  // Walk the others' book from the best quote, then the boundary level at every further price.
  let value = 0,
    left = Math.abs(y);
  for (let p = y > 0 ? pb : pa; left > 0; p += y > 0 ? -1 : 1) {
    const inside = y > 0 ? p >= pa - K : p <= pb + K;
    const units = Math.min(inside ? ((y > 0 ? bids : asks).get(p) ?? 0) : INF, left);
    value += (y > 0 ? units : -units) * p;
    left -= units;
  }
  return { pnl: x + value, events, fills, y, edge, drift, closeOut: value - y * mid() };
}

function meanSe(v: readonly number[]): { mean: number; se: number } {
  const n = v.length;
  const mean = v.reduce((s, a) => s + a, 0) / n;
  const sd = Math.sqrt(v.reduce((s, a) => s + (a - mean) ** 2, 0) / (n - 1));
  return { mean, se: sd / Math.sqrt(n) };
}

function independent(set: Setting, episodes: number, seed: number) {
  const u = uniforms(seed);
  const eps = Array.from({ length: episodes }, () => episode(set, u));
  const col = (f: (e: Episode) => number) => meanSe(eps.map(f));
  return {
    eps,
    pnl: col((e) => e.pnl),
    events: col((e) => e.events),
    fills: col((e) => e.fills),
    absY: col((e) => Math.abs(e.y)),
    edge: col((e) => e.edge),
    drift: col((e) => e.drift),
    closeOut: col((e) => e.closeOut),
  };
}

/** Sizes: SE of the P&L difference ≈ 0.027 at T = 1 and ≈ 0.38 at T = 10; tolerance 4 SE (fixed seeds). */
const CASES: [string, Setting, number][] = [
  ['T = 1, refill', { T: 1, refill: true }, 10_000],
  ['T = 10, refill', { T: 10, refill: true }, 2500],
  ['T = 10, reservoir', { T: 10, refill: false }, 2500],
];

describe('strategy 11 on R-const: engine against an independent simulation', () => {
  let module: WebAssembly.Module;
  beforeAll(async () => {
    module = await compileKernels('release');
  });

  it.each(CASES)('%s: P&L, events, fills and |y_T| agree; N = 400 never binds', (_n, set, E) => {
    const model = resolveModel('const', {
      T: set.T,
      maxEvents: 400,
      boundary: set.refill ? 'refill' : 'reservoir',
    });
    const ind = independent(set, E, 20261203 + set.T);
    const run = {
      model,
      policy: builtinPolicy('11'),
      study: 'test/lob/long-horizon',
      run: 1,
      base: streamBase('test/lob/long-horizon', set.T),
      from: 0,
      to: E,
    };
    const wasm = runEpisodes(run, 'wasm', module);
    // The twin agrees bit for bit at this horizon too (first 200 episodes).
    const head = { ...run, to: 200 };
    expect(Array.from(runEpisodes(head, 'js'))).toEqual(Array.from(runEpisodes(head, 'wasm', module)));
    const s = summarize('11', wasm, set.T);
    const close = (a: { mean: number; se: number }, mean: number, se: number) =>
      expect(Math.abs(a.mean - mean)).toBeLessThan(4 * Math.hypot(a.se, se));
    close(ind.pnl, s.mean, s.se);
    close(ind.events, s.eventsMean, ind.events.se);
    close(ind.fills, s.fillsAsk + s.fillsBid, ind.fills.se);
    close(ind.absY, s.meanAbsInventory, ind.absY.se);
    expect(s.cappedFraction).toBe(0);
    expect(s.eventQuantiles.max).toBeLessThan(400);
  });

  it('the P&L splits exactly into edge + drift + close-out; profit grows with T, the close-out cost with |y_T|', () => {
    const short = independent({ T: 1, refill: true }, 10_000, 11);
    const long = independent({ T: 10, refill: true }, 2500, 12);
    for (const e of [...short.eps, ...long.eps]) expect(e.edge + e.drift + e.closeOut).toBeCloseTo(e.pnl, 9);
    // Mark-to-mid profit per unit time is about the same at both horizons (1.18 and 1.56: the first
    // fills wait for the MM's order to reach the front of a queue of 2)...
    const profit = (r: typeof short, T: number) => (r.edge.mean + r.drift.mean) / T;
    expect(profit(short, 1)).toBeGreaterThan(0.9);
    expect(profit(long, 10)).toBeGreaterThan(profit(short, 1));
    expect(profit(long, 10)).toBeLessThan(2 * profit(short, 1));
    // ...while the close-out cost grows like |y_T| (≈ √T): ×3.3 in |y_T|, ×5.5 in cost, far below ×10.
    expect(long.absY.mean / short.absY.mean).toBeLessThan(4);
    expect(long.closeOut.mean / short.closeOut.mean).toBeLessThan(7);
    // Hence the mean: a small difference at T = 1, mostly profit at T = 10.
    expect(Math.abs(short.pnl.mean)).toBeLessThan(0.2);
    expect(long.pnl.mean).toBeGreaterThan(7);
  });
});
