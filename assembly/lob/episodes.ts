// Gillespie episodes of the order book with a built-in policy deciding after every event (spec §1.8).
// One call runs episodes from..to−1; episode e draws from the stream keyed splitmix64(base ^ e), i.e.
// streamKey(experiment, run, e) when base = splitmix64(splitmix64(fnv1a64(experiment)) ^ run): common
// random numbers across policies by construction.
//
// Where the time goes (R-const, policy 11; profiled with perf on V8's TurboFan code and by ablation).
// The loop is bound by latency and mispredicted branches, not by arithmetic: recomputing all 4K+2
// rates per event or only one level's costs about the same when the event is drawn by a chain of
// compare-and-branch steps, which mispredicts about twice per event (the event type is random), each
// miss waiting for the chain Λ → u·Λ → remainders. Hence: (1) the block and level are found without
// branches (masked compares, a count within the block) and every event that changes one queue by one
// unit (about 4 in 5) runs one straight path with selects instead of branches on its type; (2) the
// rates stay current across events, and such an event recomputes only its level's two rates, its
// side's block sums and market rate, with the queue values and Λ's terms passed in registers (a
// reload would wait for the store); (3) fills and quote moves (about 1 in 5) take the general code
// and a full rewrite of the rates — their mispredicted branch, applyEvent() and the next decision
// are most of what remains besides the draw's own chain (the waiting time, the generator, the
// selection's five dependent subtractions).
import { expFast, expSlow, splitmix64, wordToUnit } from '../rng';
import {
  applyAction, applyAction16, applyEvent, cancelAll, cancelQueue, cancelRank, lastPositive, levelIn,
  liquidation, marketRate, mmLevel, mmSlotAt, rates, sumBlock, variantsDiffer, writeLevel,
} from './book';
import {
  LOB_BOUNDARY_REFILL, LOB_C_A_INF, LOB_C_ACTIONS, LOB_C_B_INF, LOB_C_BOUNDARY, LOB_C_CANCEL,
  LOB_C_COUNTS_MM, LOB_C_K, LOB_C_L2, LOB_C_PEG, LOB_C_LIQUIDATION, LOB_C_MAX_EVENTS, LOB_C_POLICY,
  LOB_CANCEL_AHEAD, LOB_CANCEL_UNIFORM, LOB_O_CAPPED, LOB_O_RESERVOIR_TIME, LOB_O_EVENTS, LOB_O_FILLS_ASK,
  LOB_O_FILLS_BID, LOB_O_HITS, LOB_O_PNL, LOB_O_QUOTE_ASK, LOB_O_QUOTE_BID, LOB_O_REWARD, LOB_O_Y,
  LOB_OUT_STRIDE, LOB_P_ETA, LOB_P_STICKY_RHO, LOB_P_T, LOB_POLICY_00, LOB_POLICY_11, LOB_POLICY_RANDOM,
  LOB_POLICY_SKEW, LOB_POLICY_STICKY, LOB_S_A, LOB_S_ASK2_PRICE, LOB_S_ASK_PRICE, LOB_S_ASK_RANK, LOB_S_B,
  LOB_S_BID2_PRICE, LOB_S_BID_PRICE, LOB_S_BID_RANK, LOB_S_HITS, LOB_S_PA, LOB_S_PB, LOB_S_X, LOB_S_Y,
  LOB_STATE_SLOTS,
} from './layout';
import { fget, sget, sset } from './access';

const GOLDEN: u64 = 0x9e3779b97f4a7c15;

/** Whether both MM orders rest at the best quotes: the (1, 1) action is then a no-op, skip the call. */
// @ts-ignore: decorator
@inline function bothAtBest(st: usize): bool {
  return sget(st, LOB_S_ASK_RANK) > 0 && sget(st, LOB_S_ASK_PRICE) == sget(st, LOB_S_PA)
    && sget(st, LOB_S_BID_RANK) > 0 && sget(st, LOB_S_BID_PRICE) == sget(st, LOB_S_PB);
}

/**
 * Runs episodes from..to−1 from the initial state `init` (copied into the work state `st`), writing one
 * LOB_OUT_STRIDE record per episode at out[(e − from)·stride]. `rng` is 32 bytes of scratch for the
 * generator's slow path (and the sink of a branch-free store), `r` scratch for the rates (LOB_RATES_LEN
 * f64, kept current across the events of an episode). Random words per event, in
 * order: the waiting time (ziggurat exponential), the event type (53-bit uniform × Λ), the cancel-ahead
 * coin when a cancel hits the level of an MM order with rank > 1 (uniform mode), then the policy's
 * words (random: one; sticky: one, plus one when it redraws). The decision at time 0 comes before the
 * first waiting time.
 * Returns 0, or e + 1 for the first episode whose total intensity was not finite and positive.
 */
export function lobEpisodes(
  cfg: usize, prm: usize, tbl: usize, zig: usize, init: usize, st: usize, rng: usize, r: usize, out: usize,
  base: u64, from: i32, to: i32,
): i32 {
  const K = sget(cfg, LOB_C_K);
  const refill = sget(cfg, LOB_C_BOUNDARY) == LOB_BOUNDARY_REFILL;
  const aInf = sget(cfg, LOB_C_A_INF), bInf = sget(cfg, LOB_C_B_INF);
  const cancelMode = sget(cfg, LOB_C_CANCEL);
  const countsMM = sget(cfg, LOB_C_COUNTS_MM) != 0;
  const actionClass = sget(cfg, LOB_C_ACTIONS); // 0 A1lim, 1 A2lim, 2 A2lim-16
  const nActions = actionClass == 0 ? 4 : actionClass == 1 ? 9 : 16;
  const policy = sget(cfg, LOB_C_POLICY);
  const plusTick = sget(cfg, LOB_C_LIQUIDATION) != 0;
  const maxEvents = sget(cfg, LOB_C_MAX_EVENTS);
  const oneTick = sget(cfg, LOB_C_L2) != 0;
  const peg = sget(cfg, LOB_C_PEG) != 0;
  const T = fget(prm, LOB_P_T), rho = fget(prm, LOB_P_STICKY_RHO), eta = fget(prm, LOB_P_ETA);
  const variantSplit = variantsDiffer(tbl, K);
  const dump = rng;
  const queueBlind = policy == LOB_POLICY_00 || policy == LOB_POLICY_11 || policy == LOB_POLICY_SKEW;
  for (let ep = from; ep < to; ep++) {
    const key = splitmix64(base ^ <u64>ep);
    let s0 = splitmix64(key), s1 = splitmix64(key + GOLDEN);
    let s2 = splitmix64(key + 2 * GOLDEN), s3 = splitmix64(key + 3 * GOLDEN);
    memory.copy(st, init, <usize>LOB_STATE_SLOTS << 2);
    sset(st, LOB_S_HITS, 0);
    let t = 0.0, quoteAsk = 0.0, quoteBid = 0.0, reservoirTime = 0.0;
    let n = 0, fillsAsk = 0, fillsBid = 0, capped = 0, prev = 0;
    // The rates at r stay current across events: rewritten in full only after a change that can touch
    // more than one queue (an action that did something, a fill, a quote move, a switch of a side's
    // curve variant), else updated for the one queue the event changed. What only a full rewrite can
    // change (spread, MM order levels) is kept in locals.
    let stale = true;
    let lam = 0.0;
    let s = 0, askLvl = 0, askLvl2 = 0, bidLvl = 0, bidLvl2 = 0;
    let askOn = false, bidOn = false, inReservoir = false;
    while (true) {
      // ---- decision (time 0 and right after every event) ----
      // A policy whose labels are none/L1 and depend on the state only through the quotes, the MM
      // orders and the inventory decides as before after an event that changed a queue alone: then
      // the decision (a no-op) is skipped.
      if (stale || !queueBlind) {
        let askLabel = 0, bidLabel = 0;
        if (policy == LOB_POLICY_11) {
          askLabel = 1;
          bidLabel = 1;
        } else if (policy == LOB_POLICY_SKEW) {
          const y = sget(st, LOB_S_Y);
          askLabel = y >= 0 ? 1 : 0;
          bidLabel = y <= 0 ? 1 : 0;
        } else if (policy == LOB_POLICY_RANDOM || policy == LOB_POLICY_STICKY) {
          let w = rotl<u64>(s1 * 5, 7) * 9;
          let tt = s1 << 17;
          s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= tt; s3 = rotl<u64>(s3, 45);
          let redraw = true;
          if (policy == LOB_POLICY_STICKY && n > 0) {
            redraw = wordToUnit(w) >= rho;
            if (redraw) {
              w = rotl<u64>(s1 * 5, 7) * 9;
              tt = s1 << 17;
              s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= tt; s3 = rotl<u64>(s3, 45);
            }
          }
          if (redraw) prev = <i32>(wordToUnit(w) * <f64>nActions);
          // Labels 0 none / 1 L1 / 2 L2; under A2lim-16 masks (bit 0 L1, bit 1 L2), so 1 = L1 everywhere.
          askLabel = actionClass == 0 ? prev >> 1 : actionClass == 1 ? prev / 3 : prev >> 2;
          bidLabel = actionClass == 0 ? prev & 1 : actionClass == 1 ? prev % 3 : prev & 3;
        }
        if (actionClass == 2) {
          if (applyAction16(st, askLabel, bidLabel, K, refill, aInf, bInf, oneTick)) stale = true;
        } else if (!(askLabel == 1 && bidLabel == 1 && bothAtBest(st))) {
          if (applyAction(st, askLabel, bidLabel, K, refill, aInf, bInf, oneTick)) stale = true;
        }
      }
      // ---- next event ----
      if (stale) {
        lam = rates(st, tbl, r, K, countsMM);
        const pb = sget(st, LOB_S_PB), pa = sget(st, LOB_S_PA);
        s = pa - pb;
        askLvl = mmLevel(st, LOB_S_ASK_PRICE, 0, pb, pa);
        askLvl2 = mmLevel(st, LOB_S_ASK2_PRICE, 0, pb, pa);
        bidLvl = mmLevel(st, LOB_S_BID_PRICE, 1, pb, pa);
        bidLvl2 = mmLevel(st, LOB_S_BID2_PRICE, 1, pb, pa);
        askOn = askLvl != 0 || askLvl2 != 0;
        bidOn = bidLvl != 0 || bidLvl2 != 0;
        inReservoir = s > K;
        stale = false;
      }
      if (!(lam > 0) || !isFinite(lam)) return ep + 1;
      let w = rotl<u64>(s1 * 5, 7) * 9;
      let tt = s1 << 17;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= tt; s3 = rotl<u64>(s3, 45);
      let eps = expFast(w, zig);
      if (isNaN(eps)) {
        store<u64>(rng, s0); store<u64>(rng, s1, 8); store<u64>(rng, s2, 16); store<u64>(rng, s3, 24);
        eps = expSlow(rng, w, zig);
        s0 = load<u64>(rng); s1 = load<u64>(rng, 8); s2 = load<u64>(rng, 16); s3 = load<u64>(rng, 24);
      }
      const tau = eps / lam;
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
      w = rotl<u64>(s1 * 5, 7) * 9;
      tt = s1 << 17;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= tt; s3 = rotl<u64>(s3, 45);
      // ---- the event: block and level without branches ----
      // (selectEvent()'s compare-and-branch search would mispredict about twice per event: the event
      // type is random.) Remainders t_k and tests t_k < x_k as in that search; the first passing
      // test names the block (0 M+, 1 M−, 2 L+, 3 L−, 4 C+, 5 C−).
      const blocks = r + (<usize>(4 * K + 2) << 3);
      const mP = load<f64>(r), mM = load<f64>(r, 8);
      const bLp = load<f64>(blocks), bLm = load<f64>(blocks, 8);
      const bCp = load<f64>(blocks, 16), bCm = load<f64>(blocks, 24);
      const t0 = wordToUnit(w) * lam;
      const t1 = t0 - mP, t2 = t1 - mM, t3 = t2 - bLp, t4 = t3 - bLm, t5 = t4 - bCp;
      const hits = <i32>(t0 < mP) | (<i32>(t1 < mM) << 1) | (<i32>(t2 < bLp) << 2)
        | (<i32>(t3 < bLm) << 3) | (<i32>(t4 < bCp) << 4) | (<i32>(t5 < bCm) << 5);
      const blk = hits != 0 ? ctz(hits) : 6; // 6: round-off left the target beyond every block
      // (Computed for every block and chosen by integer selects: conditional moves, not branches.)
      const lvl = select<i32>(s, levelIn(r, K, blk, t2, t3, t4, t5), blk < 2);
      const side = blk & 1;
      const slot = mmSlotAt(side, lvl, askLvl, askLvl2, bidLvl, bidLvl2);
      // The common event changes one queue by one unit (and at most the rank of an MM order resting
      // there): applied below with selects and no branch on its type. Fills, quote moves, a market
      // order at a reservoir quote and the round-off fallback take the general code instead.
      // (Flags combined with bitwise operators: a logical one compiles to a branch.)
      const market = blk < 2, insert = (blk >> 1) == 1, cancel = blk >= 4;
      const at = st + (<usize>(select<i32>(LOB_S_A, LOB_S_B, side == 0) + lvl - 1) << 2);
      const mmHere = slot >= 0;
      const rankAt = st + (<usize>(slot + 1) << 2); // (slot −1: reads slot 0, masked below)
      const rank = select<i32>(load<i32>(rankAt), 0, mmHere);
      let general = <bool>(<i32>(blk == 6) | (<i32>market & <i32>(s > K)));
      const q = load<i32>(select<usize>(st, at, general)); // (a valid address either way)
      // Fill (rank 1) or the quote's last unit taken; insertion inside the spread; quote emptied.
      const moves = select<bool>(
        mmHere ? rank == 1 : q == 1,
        select<bool>(lvl < s, !mmHere && lvl == s && q == 1, insert),
        market,
      );
      general = <bool>(<i32>general | <i32>moves);
      let ahead = false;
      if (!general) {
        // Cancel at an MM order's level with rank > 1: the unit is ahead of it w.p. (rank − 1)/q.
        if (cancel && rank > 1) {
          if (cancelMode == LOB_CANCEL_UNIFORM) {
            w = rotl<u64>(s1 * 5, 7) * 9;
            tt = s1 << 17;
            s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= tt; s3 = rotl<u64>(s3, 45);
            ahead = wordToUnit(w) * <f64>q < <f64>(rank - 1);
          } else {
            ahead = cancelMode == LOB_CANCEL_AHEAD;
          }
        }
        const q1Before = load<i32>(st + (<usize>select<i32>(LOB_S_A, LOB_S_B, side == 0) << 2));
        const qNew = q + select<i32>(1, -1, insert);
        store<i32>(at, qNew);
        // The MM order's rank drops when a market order or a cancel ahead of it takes a unit before it;
        // without an order there the (unchanged) value goes to the scratch word instead.
        const drop = market || (ahead && rank > 1);
        store<i32>(select<usize>(rankAt, dump, mmHere), rank - <i32>(mmHere && drop));
        // Its level's two rates, the side's block sums and market rate are recomputed as rates()
        // computes them, so every bit of Λ and of the next draw is as after a full rewrite (the market
        // rate only changes when lvl = s: recomputing it always is cheaper than a branch). A switch of
        // the side's curve variant (level-1 queue emptied or refilled) takes the full rewrite.
        const mm = select<i32>(askLvl, bidLvl, side == 0), mm2 = select<i32>(askLvl2, bidLvl2, side == 0);
        const cm = countsMM ? mm : 0, cm2 = countsMM ? mm2 : 0;
        // (Queue values travel in registers, not back through memory: a reload waits for the store.)
        const q1 = select<i32>(qNew, q1Before, lvl == 1) + <i32>(cm == 1 || cm2 == 1);
        if (variantSplit && lvl == 1 && q1 == <i32>insert) {
          stale = true;
        } else {
          writeLevel(tbl, r, K, side, lvl, <i32>(q1 == 0), qNew, cm, cm2);
          const sumL = sumBlock(r, K, side), sumC = sumBlock(r, K, side + 2);
          const m = marketRate(st, tbl, K, side, s, mm, mm2);
          store<f64>(r + (<usize>side << 3), m);
          // Λ = (M+ + M−) + ((L+ + L−) + (C+ + C−)) with each pair added as (this side + other side):
          // addition is commutative bit for bit, so the order need not follow the side.
          const other = <usize>(1 - side) << 3;
          lam = (m + load<f64>(r + other))
            + ((sumL + load<f64>(blocks + other)) + (sumC + load<f64>(blocks + other + 16)));
        }
      } else if (!(market && s > K)) {
        const e = blk == 6 ? lastPositive(r, K) : blk < 2 ? blk : 2 + (blk - 2) * K + lvl - 1;
        if (blk >= 4) {
          const rankE = cancelRank(st, e, K);
          if (rankE > 1) {
            if (cancelMode == LOB_CANCEL_UNIFORM) {
              w = rotl<u64>(s1 * 5, 7) * 9;
              tt = s1 << 17;
              s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= tt; s3 = rotl<u64>(s3, 45);
              ahead = wordToUnit(w) * <f64>cancelQueue(st, e, K) < <f64>(rankE - 1);
            } else {
              ahead = cancelMode == LOB_CANCEL_AHEAD;
            }
          }
        }
        const fill = applyEvent(st, e, ahead, K, refill, aInf, bInf, peg);
        stale = true;
        if (fill == 1) fillsAsk++;
        else if (fill == 2) fillsBid++;
      }
      n++;
      if (n == maxEvents) {
        capped = 1;
        break;
      }
    }
    // ---- horizon: cancel, re-anchor, liquidate ----
    cancelAll(st, K, refill, aInf, bInf);
    const y = sget(st, LOB_S_Y);
    const pnl = sget(st, LOB_S_X) + liquidation(st, y, K, aInf, bInf, plusTick);
    const rec = out + (<usize>((ep - from) * LOB_OUT_STRIDE) << 3);
    store<f64>(rec + (<usize>LOB_O_PNL << 3), <f64>pnl);
    store<f64>(rec + (<usize>LOB_O_REWARD << 3), <f64>pnl - eta * <f64>y * <f64>y);
    store<f64>(rec + (<usize>LOB_O_Y << 3), <f64>y);
    store<f64>(rec + (<usize>LOB_O_EVENTS << 3), <f64>n);
    store<f64>(rec + (<usize>LOB_O_FILLS_ASK << 3), <f64>fillsAsk);
    store<f64>(rec + (<usize>LOB_O_FILLS_BID << 3), <f64>fillsBid);
    store<f64>(rec + (<usize>LOB_O_QUOTE_ASK << 3), quoteAsk);
    store<f64>(rec + (<usize>LOB_O_QUOTE_BID << 3), quoteBid);
    store<f64>(rec + (<usize>LOB_O_HITS << 3), <f64>sget(st, LOB_S_HITS));
    store<f64>(rec + (<usize>LOB_O_CAPPED << 3), <f64>capped);
    store<f64>(rec + (<usize>LOB_O_RESERVOIR_TIME << 3), reservoirTime);
  }
  return 0;
}
