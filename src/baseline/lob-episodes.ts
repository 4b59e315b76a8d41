/**
 * TS twin of assembly/lob/episodes.ts: Gillespie episodes with a decision after every event, on the
 * same stream (xoshiro256** on int32 pairs, keyed splitmix64(base ^ episode)), so episodes agree with
 * the kernel one by one. Also the engine for custom (learned) policies, which the kernel cannot call.
 */

import {
  C_ACTIONS,
  C_CANCEL,
  C_COUNTS_MM,
  C_LIQUIDATION,
  C_MAX_EVENTS,
  C_POLICY,
  CANCEL_AHEAD,
  CANCEL_UNIFORM,
  O_CAPPED,
  O_EVENTS,
  O_FILLS_ASK,
  O_FILLS_BID,
  O_HITS,
  O_PNL,
  O_QUOTE_ASK,
  O_QUOTE_BID,
  O_RESERVOIR_TIME,
  O_REWARD,
  O_Y,
  OUT_STRIDE,
  P_ETA,
  P_STICKY_RHO,
  P_T,
  POLICY_11,
  POLICY_RANDOM,
  POLICY_SKEW,
  POLICY_STICKY,
  RATES_LEN,
  S_ASK_PRICE,
  S_ASK_RANK,
  S_ASK2_RANK,
  S_BID_PRICE,
  S_BID_RANK,
  S_BID2_RANK,
  S_HITS,
  S_PA,
  S_PB,
  S_X,
  S_Y,
  STATE_SLOTS,
} from '../lob/layout.js';
import type { ZigguratTables } from '../rng/ziggurat.js';
import {
  applyAction,
  applyAction16,
  applyEvent,
  bookSettings,
  cancelAll,
  cancelQueue,
  cancelRank,
  liquidation,
  rates,
  selectEvent,
} from './lob-book.js';
import { baseHalves, expFast, expSlow, nextWord, OUT_HI, OUT_LO, seedEpisode, unitFromWord } from './rng.js';

/** A custom policy for the JS engine: labels per side from the post-event state and the event count. */
export type DecideFn = (
  st: Int32Array,
  n: number,
  t: number,
) => readonly [askLabel: number, bidLabel: number];

/** Scratch buffers of the JS engine (allocated once per caller). */
export interface JsScratch {
  readonly st: Int32Array;
  readonly rng: Int32Array;
  readonly r: Float64Array;
}

export function jsScratch(): JsScratch {
  return { st: new Int32Array(STATE_SLOTS), rng: new Int32Array(10), r: new Float64Array(RATES_LEN) };
}

/**
 * Episodes from..to−1, records into out[(e − from)·OUT_STRIDE]; the kernel's algorithm and stream.
 * `decide` replaces the built-in policy code when given. Returns 0 or e + 1 on a bad total intensity.
 */
export function lobEpisodes(
  cfg: Int32Array,
  prm: Float64Array,
  tbl: Float64Array,
  z: ZigguratTables,
  init: Int32Array,
  scratch: JsScratch,
  out: Float64Array,
  base: bigint,
  from: number,
  to: number,
  decide?: DecideFn,
): number {
  const b = bookSettings(cfg);
  const K = b.K;
  const cancelMode = cfg[C_CANCEL] as number;
  const countsMM = cfg[C_COUNTS_MM] !== 0;
  const actionClass = cfg[C_ACTIONS] as number;
  const nActions = actionClass === 0 ? 4 : actionClass === 1 ? 9 : 16;
  const policy = cfg[C_POLICY] as number;
  const plusTick = cfg[C_LIQUIDATION] !== 0;
  const maxEvents = cfg[C_MAX_EVENTS] as number;
  const T = prm[P_T] as number,
    rho = prm[P_STICKY_RHO] as number,
    eta = prm[P_ETA] as number;
  const { st, rng, r } = scratch;
  const [baseHi, baseLo] = baseHalves(base);
  for (let ep = from; ep < to; ep++) {
    seedEpisode(rng, baseHi, baseLo, ep);
    st.set(init);
    st[S_HITS] = 0;
    let t = 0,
      quoteAsk = 0,
      quoteBid = 0,
      reservoirTime = 0;
    let n = 0,
      fillsAsk = 0,
      fillsBid = 0,
      capped = 0,
      prev = 0;
    for (;;) {
      let askLabel = 0,
        bidLabel = 0;
      if (decide) {
        [askLabel, bidLabel] = decide(st, n, t);
      } else if (policy === POLICY_11) {
        askLabel = 1;
        bidLabel = 1;
      } else if (policy === POLICY_SKEW) {
        const y = st[S_Y] as number;
        askLabel = y >= 0 ? 1 : 0;
        bidLabel = y <= 0 ? 1 : 0;
      } else if (policy === POLICY_RANDOM || policy === POLICY_STICKY) {
        nextWord(rng);
        let redraw = true;
        if (policy === POLICY_STICKY && n > 0) {
          redraw = unitFromWord(rng[OUT_HI] as number, rng[OUT_LO] as number) >= rho;
          if (redraw) nextWord(rng);
        }
        if (redraw) prev = Math.trunc(unitFromWord(rng[OUT_HI] as number, rng[OUT_LO] as number) * nActions);
        askLabel = actionClass === 0 ? prev >> 1 : actionClass === 1 ? (prev / 3) | 0 : prev >> 2;
        bidLabel = actionClass === 0 ? prev & 1 : actionClass === 1 ? prev % 3 : prev & 3;
      }
      if (actionClass === 2) applyAction16(st, askLabel, bidLabel, b);
      else if (
        !(
          askLabel === 1 &&
          bidLabel === 1 &&
          (st[S_ASK_RANK] as number) > 0 &&
          st[S_ASK_PRICE] === st[S_PA] &&
          (st[S_BID_RANK] as number) > 0 &&
          st[S_BID_PRICE] === st[S_PB]
        )
      ) {
        // (1, 1) with both orders already at the best is a no-op: skipped, as in the kernel.
        applyAction(st, askLabel, bidLabel, b);
      }
      const lam = rates(st, tbl, r, K, countsMM);
      if (!(lam > 0) || !Number.isFinite(lam)) return ep + 1;
      nextWord(rng);
      let hi = rng[OUT_HI] as number,
        lo = rng[OUT_LO] as number;
      let eps = expFast(hi, lo, z);
      if (Number.isNaN(eps)) eps = expSlow(rng, hi, lo, z);
      const tau = eps / lam;
      const askOn = (st[S_ASK_RANK] as number) > 0 || (st[S_ASK2_RANK] as number) > 0;
      const bidOn = (st[S_BID_RANK] as number) > 0 || (st[S_BID2_RANK] as number) > 0;
      const inReservoir = (st[S_PA] as number) - (st[S_PB] as number) > K;
      if (t + tau > T) {
        if (askOn) quoteAsk += T - t;
        if (bidOn) quoteBid += T - t;
        if (inReservoir) reservoirTime += T - t;
        break;
      }
      if (askOn) quoteAsk += tau;
      if (bidOn) quoteBid += tau;
      if (inReservoir) reservoirTime += tau;
      t += tau;
      nextWord(rng);
      hi = rng[OUT_HI] as number;
      lo = rng[OUT_LO] as number;
      const e = selectEvent(r, K, unitFromWord(hi, lo) * lam);
      let ahead = false;
      const rank = cancelRank(st, e, K);
      if (rank > 1) {
        if (cancelMode === CANCEL_UNIFORM) {
          nextWord(rng);
          ahead =
            unitFromWord(rng[OUT_HI] as number, rng[OUT_LO] as number) * cancelQueue(st, e, K) < rank - 1;
        } else {
          ahead = cancelMode === CANCEL_AHEAD;
        }
      }
      const fill = applyEvent(st, e, ahead, b);
      if (fill === 1) fillsAsk++;
      else if (fill === 2) fillsBid++;
      n++;
      if (n === maxEvents) {
        capped = 1;
        break;
      }
    }
    cancelAll(st, b);
    const y = st[S_Y] as number;
    const pnl = (st[S_X] as number) + liquidation(st, y, b, plusTick);
    const rec = (ep - from) * OUT_STRIDE;
    out[rec + O_PNL] = pnl;
    out[rec + O_REWARD] = pnl - eta * y * y;
    out[rec + O_Y] = y;
    out[rec + O_EVENTS] = n;
    out[rec + O_FILLS_ASK] = fillsAsk;
    out[rec + O_FILLS_BID] = fillsBid;
    out[rec + O_QUOTE_ASK] = quoteAsk;
    out[rec + O_QUOTE_BID] = quoteBid;
    out[rec + O_HITS] = st[S_HITS] as number;
    out[rec + O_CAPPED] = capped;
    out[rec + O_RESERVOIR_TIME] = reservoirTime;
  }
  return 0;
}
