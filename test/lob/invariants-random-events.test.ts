// Spec §5.3 2(e)–(g) over 1.05·10⁶ random events and actions (release build, 7 configurations × 150,000;
// 7 × 25,000 on the checked debug build):
// others' units change by exactly ±1 per event unless a fill, a reservoir hit, a frame shift or a refill
// explains it; MM ranks within 1..queue; 1 ≤ spread ≤ K+1 (≤ K with refill); never a crossed book.
import { describe, expect, it } from 'vitest';
import { LobKernel } from '../../src/kernels/lob.js';
import {
  eventIndex,
  S_A,
  S_ASK_PRICE,
  S_ASK2_PRICE,
  S_B,
  S_BID_PRICE,
  S_BID2_PRICE,
  S_HITS,
  S_PA,
  S_PB,
} from '../../src/lob/layout.js';
import { type LobModel, resolveModel } from '../../src/lob/model.js';
import { streamKey } from '../../src/rng/streams.js';
import { instance } from '../support/builds.js';
import { blocksFor } from './support.js';

const CONFIGS: [string, LobModel][] = [
  ['R-const refill, A1lim', resolveModel('const')],
  [
    'R-const reservoir, A2lim, K = 2',
    resolveModel('const', { boundary: 'reservoir', K: 2, actions: 'A2lim' }),
  ],
  [
    'R-hlr-dev, A2lim, intensityCountsMM',
    resolveModel('hlr-dev', { actions: 'A2lim', intensityCountsMM: true }),
  ],
  ['R-ahp, A2lim', resolveModel('ahp', { actions: 'A2lim' })],
  [
    'R-const reservoir, A2lim, l2 one_tick',
    resolveModel('const', { boundary: 'reservoir', actions: 'A2lim', l2: 'one_tick' }),
  ],
  ['R-hlr-dev, A2lim-16', resolveModel('hlr-dev', { actions: 'A2lim16' })],
  [
    'R-const reservoir, A2lim-16, peg',
    resolveModel('const', { boundary: 'reservoir', actions: 'A2lim16', peg: true }),
  ],
];

/** MM order slots (price index; the rank is the next slot) with their side. */
const SLOTS = [
  [S_ASK_PRICE, 0],
  [S_ASK2_PRICE, 0],
  [S_BID_PRICE, 1],
  [S_BID2_PRICE, 1],
] as const;

/** First violated invariant of a state, or '' (K levels). */
function violation(st: Int32Array, K: number, refill: boolean): string {
  const pb = st[S_PB] as number,
    pa = st[S_PA] as number,
    s = pa - pb;
  if (s < 1 || s > (refill ? K : K + 1)) return `spread ${s}`;
  for (let i = 1; i <= K; i++) {
    const a = st[S_A + i - 1] as number,
      b = st[S_B + i - 1] as number;
    if (a < 0 || b < 0) return `negative queue at level ${i}`;
    if (i < s && (a > 0 || b > 0)) return `unit inside the spread at level ${i} (crossed)`;
  }
  const levels = [new Set<number>(), new Set<number>()];
  let mmAtBest = [0, 0];
  for (const [p, side] of SLOTS) {
    const rank = st[p + 1] as number;
    if (rank < 0) return 'negative rank';
    if (rank === 0) continue;
    const lvl = side === 0 ? (st[p] as number) - pb : pa - (st[p] as number);
    if (lvl < s || lvl > K) return `MM order (side ${side}) at level ${lvl}`;
    if (rank > (st[(side === 0 ? S_A : S_B) + lvl - 1] as number) + 1)
      return `MM rank ${rank} beyond the queue`;
    if (levels[side]?.has(lvl)) return `two MM orders at one price (side ${side})`;
    levels[side]?.add(lvl);
    if (lvl === s) mmAtBest = side === 0 ? [1, mmAtBest[1] as number] : [mmAtBest[0] as number, 1];
  }
  if (s <= K) {
    const askQ = (st[S_A + s - 1] as number) + (mmAtBest[0] as number);
    const bidQ = (st[S_B + s - 1] as number) + (mmAtBest[1] as number);
    if (askQ === 0 || bidQ === 0) return 'empty best queue inside the frame';
  }
  return '';
}

function mmOrders(st: Int32Array): number {
  return SLOTS.filter(([p]) => (st[p + 1] as number) > 0).length;
}

function othersTotal(st: Int32Array, K: number): number {
  let n = 0;
  for (let i = 0; i < K; i++) n += (st[S_A + i] as number) + (st[S_B + i] as number);
  return n;
}

/** Expected change of the others' total for event e when no frame moved: +1 insert, −1 cancel/market. */
function expectedChange(e: number, K: number, wasReservoir: boolean, filled: boolean): number {
  if (e <= eventIndex.marketSell) return wasReservoir || filled ? 0 : -1;
  return e < eventIndex.cancelAsk(K, 1) ? 1 : -1;
}

async function run(build: 'debug' | 'release', m: LobModel, steps: number, seed: number): Promise<string> {
  const kernel = new LobKernel(await instance(build), blocksFor(m), 1);
  const K = m.K,
    refill = m.boundary === 'refill',
    labels = m.actions === 'A2lim' ? 3 : 2;
  kernel.seed(streamKey('test/lob/invariants', 0, seed));
  kernel.setState(blocksFor(m).init);
  kernel.reanchor();
  let rnd = 0x9e3779b9 ^ seed;
  const nextLabel = () => {
    rnd ^= rnd << 13;
    rnd ^= rnd >>> 17;
    rnd ^= rnd << 5;
    return (rnd >>> 0) % labels;
  };
  for (let n = 0; n < steps; n++) {
    if (m.actions === 'A2lim16') kernel.applyAction16(nextLabel(), nextLabel());
    else kernel.applyAction(nextLabel(), nextLabel());
    const before = kernel.state();
    const v0 = violation(before, K, refill);
    if (v0) return `after action ${n}: ${v0}`;
    const code = kernel.sampleEvent();
    const after = kernel.state();
    const v1 = violation(after, K, refill);
    if (v1) return `after event ${n} (${code >> 1}): ${v1}`;
    const moved =
      after[S_PA] !== before[S_PA] || after[S_PB] !== before[S_PB] || after[S_HITS] !== before[S_HITS];
    if (!moved) {
      const e = code >> 1;
      const filled = mmOrders(after) < mmOrders(before);
      const reservoir = (before[S_PA] as number) - (before[S_PB] as number) > K;
      const d = othersTotal(after, K) - othersTotal(before, K);
      if (d !== expectedChange(e, K, reservoir, filled))
        return `event ${n} (${e}) changed others' units by ${d}`;
    }
  }
  return '';
}

describe('order-book invariants under random events and actions', () => {
  it.each(CONFIGS)('%s: 150,000 events and actions on the release build', async (_name, m) => {
    expect(await run('release', m, 150_000, 1)).toBe('');
  });

  it.each(CONFIGS)('%s: 25,000 events and actions on the debug build', async (_name, m) => {
    expect(await run('debug', m, 25_000, 2)).toBe('');
  });
});
