/** Shared fixtures of the order-book tests: hand-made books and one adapter per engine (debug, release, js). */
import {
  applyAction,
  applyAction16,
  applyEvent,
  bookSettings,
  liquidation,
  rates,
  reanchor,
} from '../../src/baseline/lob-book.js';
import { successors } from '../../src/baseline/lob-successors.js';
import { LobKernel } from '../../src/kernels/lob.js';
import { configBlock, initialState, paramBlock } from '../../src/lob/blocks.js';
import { intensityTable } from '../../src/lob/intensities.js';
import {
  RATES_LEN,
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
  S_PA,
  S_PB,
  S_X,
  S_Y,
  STATE_SLOTS,
} from '../../src/lob/layout.js';
import type { LobModel } from '../../src/lob/model.js';
import { instance } from '../support/builds.js';

export const ENGINES = ['debug', 'release', 'js'] as const;
export type EngineName = (typeof ENGINES)[number];

export interface BookSpec {
  pb: number;
  pa: number;
  a: number[];
  b: number[];
  ask?: { price: number; rank: number };
  bid?: { price: number; rank: number };
  /** Second MM orders (A2lim-16). */
  ask2?: { price: number; rank: number };
  bid2?: { price: number; rank: number };
  x?: number;
  y?: number;
}

/** A state block from a readable description. */
export function book(s: BookSpec): Int32Array {
  const st = new Int32Array(STATE_SLOTS);
  st[S_PB] = s.pb;
  st[S_PA] = s.pa;
  st[S_X] = s.x ?? 0;
  st[S_Y] = s.y ?? 0;
  s.a.forEach((v, i) => {
    st[S_A + i] = v;
  });
  s.b.forEach((v, i) => {
    st[S_B + i] = v;
  });
  if (s.ask) {
    st[S_ASK_PRICE] = s.ask.price;
    st[S_ASK_RANK] = s.ask.rank;
  }
  if (s.bid) {
    st[S_BID_PRICE] = s.bid.price;
    st[S_BID_RANK] = s.bid.rank;
  }
  if (s.ask2) {
    st[S_ASK2_PRICE] = s.ask2.price;
    st[S_ASK2_RANK] = s.ask2.rank;
  }
  if (s.bid2) {
    st[S_BID2_PRICE] = s.bid2.price;
    st[S_BID2_RANK] = s.bid2.rank;
  }
  return st;
}

/** Readable view of a state block (K levels). */
export function describe(st: Int32Array, K: number) {
  return {
    pb: st[S_PB],
    pa: st[S_PA],
    x: st[S_X],
    y: st[S_Y],
    a: Array.from(st.subarray(S_A, S_A + K)),
    b: Array.from(st.subarray(S_B, S_B + K)),
    ask: (st[S_ASK_RANK] as number) > 0 ? { price: st[S_ASK_PRICE], rank: st[S_ASK_RANK] } : null,
    bid: (st[S_BID_RANK] as number) > 0 ? { price: st[S_BID_PRICE], rank: st[S_BID_RANK] } : null,
    ...((st[S_ASK2_RANK] as number) > 0 ? { ask2: { price: st[S_ASK2_PRICE], rank: st[S_ASK2_RANK] } } : {}),
    ...((st[S_BID2_RANK] as number) > 0 ? { bid2: { price: st[S_BID2_PRICE], rank: st[S_BID2_RANK] } } : {}),
  };
}

/** Single-state operations of one engine. */
export interface BookEngine {
  load(st: Int32Array): void;
  state(): Int32Array;
  event(e: number, ahead?: boolean): number;
  action(askLabel: number, bidLabel: number): void;
  /** A2lim-16 action: masks per side (bit 0 L1, bit 1 L2). */
  action16(askMask: number, bidMask: number): void;
  reanchor(): void;
  liquidation(y: number): number;
  rates(): { rates: Float64Array; lam: number };
  successors(): { lam: number; states: Int32Array[]; probs: Float64Array; codes: Int32Array };
  /** The WASM kernel (absent for the JS twin). */
  readonly kernel?: LobKernel;
}

export function blocksFor(m: LobModel, policy = 0) {
  return { cfg: configBlock(m, policy), prm: paramBlock(m), tbl: intensityTable(m), init: initialState(m) };
}

export async function bookEngine(name: EngineName, m: LobModel, tbl?: Float64Array): Promise<BookEngine> {
  const blocks = { ...blocksFor(m), ...(tbl ? { tbl } : {}) };
  const K = m.K;
  if (name !== 'js') {
    const kernel = new LobKernel(await instance(name), blocks, 16);
    return {
      kernel,
      load: (st) => kernel.setState(st),
      state: () => kernel.state(),
      event: (e, ahead = false) => kernel.applyEvent(e, ahead),
      action: (a, b) => kernel.applyAction(a, b),
      action16: (a, b) => kernel.applyAction16(a, b),
      reanchor: () => kernel.reanchor(),
      liquidation: (y) => kernel.liquidation(y),
      rates: () => kernel.rates(K),
      successors: () => kernel.successors(),
    };
  }
  const settings = bookSettings(blocks.cfg);
  let st = new Int32Array(STATE_SLOTS);
  const plusTick = m.liquidation === 'walk_plus_one_tick';
  return {
    load: (s) => {
      st = s.slice();
    },
    state: () => st.slice(),
    event: (e, ahead = false) => applyEvent(st, e, ahead, settings),
    action: (a, b) => applyAction(st, a, b, settings),
    action16: (a, b) => applyAction16(st, a, b, settings),
    reanchor: () => reanchor(st, settings),
    liquidation: (y) => liquidation(st, y, settings, plusTick),
    rates: () => {
      const r = new Float64Array(RATES_LEN);
      const lam = rates(st, blocks.tbl, r, K, m.intensityCountsMM);
      return { rates: r, lam };
    },
    successors: () => {
      const { lam, branches } = successors(blocks.cfg, blocks.tbl, st);
      return {
        lam,
        states: branches.map((b) => b.state),
        probs: Float64Array.from(branches.map((b) => b.prob)),
        codes: Int32Array.from(branches.map((b) => b.code)),
      };
    },
  };
}
