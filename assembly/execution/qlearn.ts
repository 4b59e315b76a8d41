// Tabular Q-learning for the execution MDPs (spec §2) and its greedy Monte Carlo evaluation.
//
// One call trains episodes [from, to) of one run (the host normally passes the whole run; it may
// split a run into consecutive calls, which continue the same stream and schedules exactly). All
// inputs live in linear memory, described by an i32 descriptor block whose slot indices are exported
// below; reals go in an f64 parameter block. The host repacks the env's transition records
// (src/execution/env.ts) into one record per (s, a) holding its K outcomes (layout below), and
// stores each distinct time step's slab of records once: the laws are usually the same at every
// step but the last, so the table is several times smaller and stays in cache. A table of slab
// addresses, one per time step, selects the slab. The TS twin is src/baseline/execution.ts.
//
// Per episode: one uniform for the start state. Per step: stop if absorbing; one uniform u_ε; if
// u_ε < ε one more uniform picks a feasible action, else the greedy action (one more uniform only
// when the maximum is tied c > 1 times: the ⌊u·c⌋-th tied action in index order); one uniform
// against the cumulative outcome law; update. A uniform is u = m·2⁻⁵³ with m the top 53 bits of the
// word; ⌊u·n⌋ is computed exactly as (m·n) >> 53 (integer ops: V8's float-to-int conversions are
// slow).
//
// Q and the visit counts are laid out with a row stride A2 = A rounded up to a multiple of 4, and the
// host fills every infeasible or padding slot of Q with −∞ (never updated): a row's max, its tie
// count and the k-th tied index then come from whole-row f64x2 scans (pmax, eq + bitmask) with no
// data-dependent branches. A ≤ 64 so a row's ties fit one u64 mask. Each row has a header (its max
// and tie mask, exactly what the scans give), rebuilt at entry and rescanned after every update of
// the row: the greedy choice and the target read one header instead of scanning a row. What the
// step loop needs of the next state (feasible count, obs index) is packed into the outcome record,
// so the step-to-step dependency chain is: record → header of (t+1, s′) → action → record. (Keeping
// headers current incrementally, rescanning only when the max drops, measured slower: the rescan
// branch mispredicts; so did choosing the action without branches, which puts the header load on
// the chain of exploring steps too.)

// ---- descriptor block (i32 slots) ----
export const QD_TRANS: i32 = 0; // i32[N + 1]: address of time step t's slab of (s, a) records (layout below)
export const QD_FEAS: i32 = 1; // i32[S] feasible-prefix length, 0 = absorbing
export const QD_OBS: i32 = 2; // i32[S] env state → learner index
export const QD_OBS_FEAS: i32 = 3; // i32[S_obs]
export const QD_STARTS: i32 = 4; // i32[n_starts]
export const QD_START_CUM: i32 = 5; // f64[n_starts], last = 1
export const QD_START_PROB: i32 = 6; // f64[n_starts]
export const QD_Q: i32 = 7; // f64[N·S_obs·A2], A2 = A rounded up to a multiple of 4; −∞ off the feasible prefix
export const QD_COUNTS: i32 = 8; // u32[N·S_obs·A2]
export const QD_LR: i32 = 9; // f64[lr_len]: α_n for n < lr_len
export const QD_PRM: i32 = 10; // f64 parameter block (QP_*)
export const QD_RNG: i32 = 11; // xoshiro256** state (4 × u64)
export const QD_CK_EPISODES: i32 = 12; // i32[n_ck]: checkpoint after this many episodes (increasing)
export const QD_CK_OUT: i32 = 13; // f64[n_ck · QL_CK_STRIDE]
export const QD_SCRATCH: i32 = 14; // f64[2·S + S_obs + QL_RING]
export const QD_REACH: i32 = 15; // u8[N·S_obs]: obs state reachable at t (visited-share denominator)
export const QD_VSTAR0: i32 = 16; // f64[n_starts]: V*_0 at each start state (Q error)
export const QD_INVENTORY: i32 = 17; // i32[S]: q of each env state (evaluation)
export const QD_N: i32 = 18;
export const QD_S: i32 = 19;
export const QD_A: i32 = 20;
export const QD_K: i32 = 21;
export const QD_S_OBS: i32 = 22;
export const QD_N_STARTS: i32 = 23;
export const QD_EPS_KIND: i32 = 24; // 0 const, 1 linear, 2 exp
export const QD_LR_LEN: i32 = 25;
export const QD_N_CK: i32 = 26;
export const QD_CK_NEXT: i32 = 27; // in/out: index of the next checkpoint (0 at the start of a run)
export const QD_ROWS: i32 = 28; // scratch: per Q row (t, o) its max (f64) and tie mask (u64), QL_ROW_BYTES each
export const QD_SLOTS: i32 = 29;
export const QL_ROW_BYTES: i32 = 16;

// ---- (s, a) record of a slab: the K outcomes of one action, 8·(3K − 1) bytes ----
// f64 cum[K − 1] (the last cumulative probability is always exactly 1 and is not stored), then
// f64 reward[K], then per outcome the next state s′ (i32) and its (feasible count << 24 | obs index)
// (i32): the step loop reads all it needs of s′ from the record. On impact (K = 3) a record is one
// 64-byte line.
export const QL_NEXT_NF_SHIFT: i32 = 24;

// ---- parameter block (f64 slots) ----
export const QP_GAMMA: i32 = 0;
export const QP_EPS0: i32 = 1; // ε0 (const: the value)
export const QP_EPS1: i32 = 2;
export const QP_EPS_FE: i32 = 3; // f·E (linear)
export const QP_EPS_DECAY: i32 = 4; // d (exp)
export const QP_EPS_RAW: i32 = 5; // in/out: ε0·d^e of the next episode (exp), a running product
export const QP_OMEGA: i32 = 6; // α_n = max(α_min, n^−ω) beyond the table (ω = 0: α_min)
export const QP_ALPHA_MIN: i32 = 7;
export const QP_STEPS: i32 = 8; // in/out: training steps so far
export const QP_SLOTS: i32 = 9;

// ---- checkpoint record ----
export const QL_CK_EPISODE: i32 = 0; // episodes done
export const QL_CK_VALUE: i32 = 1; // exact V^π̂(d0)
export const QL_CK_QERR: i32 = 2; // Σ d0 |max_a Q̂_0(s0, a) − V*_0(s0)|
export const QL_CK_VISITED: i32 = 3; // share of reachable feasible (t, s, a) with n > 0
export const QL_CK_RETURN: i32 = 4; // mean discounted return of the last ≤ QL_RING training episodes
export const QL_CK_STRIDE: i32 = 5;
export const QL_RING: i32 = 100;

const TWO_M53: f64 = 1.0 / 9007199254740992.0;

// @ts-ignore: decorator
@inline function dp(desc: usize, slot: i32): usize {
  return <usize>load<i32>(desc + (<usize>slot << 2));
}
// @ts-ignore: decorator
@inline function di(desc: usize, slot: i32): i32 {
  return load<i32>(desc + (<usize>slot << 2));
}
// @ts-ignore: decorator
@inline function pf(prm: usize, slot: i32): f64 {
  return load<f64>(prm + (<usize>slot << 3));
}

/** Max of a Q row of A2 (a multiple of 4) entries: f64x2 pmax (maxpd), two vectors per step. */
// @ts-ignore: decorator
@inline function rowMax(row: usize, A2: i32): f64 {
  let va = v128.load(row);
  let vb = v128.load(row, 16);
  for (let i = 4; i < A2; i += 4) {
    const p = row + (<usize>i << 3);
    va = f64x2.pmax(va, v128.load(p));
    vb = f64x2.pmax(vb, v128.load(p, 16));
  }
  va = f64x2.pmax(va, vb);
  va = f64x2.pmax(va, v128.shuffle<i64>(va, va, 1, 0));
  return f64x2.extract_lane(va, 0);
}

/** Bit a set ⇔ row[a] == m (exact equality: the tied maxima in index order). */
// @ts-ignore: decorator
@inline function rowTies(row: usize, A2: i32, m: f64): u64 {
  const vm = f64x2.splat(m);
  let bits: u64 = 0;
  for (let i = 0; i < A2; i += 4) {
    const p = row + (<usize>i << 3);
    const lo = <u64>i64x2.bitmask(f64x2.eq(v128.load(p), vm));
    const hi = <u64>i64x2.bitmask(f64x2.eq(v128.load(p, 16), vm));
    bits |= (lo | (hi << 2)) << <u64>i;
  }
  return bits;
}

/** Writes a row's header: its max (rowMax) and tie mask (rowTies). */
// @ts-ignore: decorator
@inline function rowHeader(row: usize, A2: i32, h: usize): void {
  const m = rowMax(row, A2);
  store<f64>(h, m);
  store<u64>(h, rowTies(row, A2, m), 8);
}

/** Bytes of an (s, a) record with K outcomes. */
// @ts-ignore: decorator
@inline function recordBytes(K: i32): usize {
  return <usize>(3 * K - 1) << 3;
}

/** Bits of the entries of two vectors (four row entries) equal to vm. */
// @ts-ignore: decorator
@inline function tieBits(v: v128, w: v128, vm: v128): u64 {
  return <u64>(i64x2.bitmask(f64x2.eq(v, vm)) | (i64x2.bitmask(f64x2.eq(w, vm)) << 2));
}

/**
 * rowHeader for rows of at most 16 entries without loops, for a constant A2 (the guards fold): the
 * same pmax order as rowMax (each lane accumulates over the row's vectors in index order).
 */
// @ts-ignore: decorator
@inline function rowHeaderShort(row: usize, A2: i32, h: usize): void {
  const v0 = v128.load(row), v1 = v128.load(row, 16);
  let v2 = v0, v3 = v1, v4 = v0, v5 = v1, v6 = v0, v7 = v1;
  let va = v0, vb = v1;
  if (A2 > 4) {
    v2 = v128.load(row, 32); v3 = v128.load(row, 48);
    va = f64x2.pmax(va, v2); vb = f64x2.pmax(vb, v3);
  }
  if (A2 > 8) {
    v4 = v128.load(row, 64); v5 = v128.load(row, 80);
    va = f64x2.pmax(va, v4); vb = f64x2.pmax(vb, v5);
  }
  if (A2 > 12) {
    v6 = v128.load(row, 96); v7 = v128.load(row, 112);
    va = f64x2.pmax(va, v6); vb = f64x2.pmax(vb, v7);
  }
  va = f64x2.pmax(va, vb);
  va = f64x2.pmax(va, v128.shuffle<i64>(va, va, 1, 0));
  const m = f64x2.extract_lane(va, 0);
  const vm = f64x2.splat(m);
  let ties = tieBits(v0, v1, vm);
  if (A2 > 4) ties |= tieBits(v2, v3, vm) << 4;
  if (A2 > 8) ties |= tieBits(v4, v5, vm) << 8;
  if (A2 > 12) ties |= tieBits(v6, v7, vm) << 12;
  store<f64>(h, m);
  store<u64>(h, ties, 8);
}

/**
 * rowHeader after an update: rows of 4–16 entries take a straight-line copy for their constant
 * length (the branch goes the same way every step; loops cost V8 a check per iteration).
 */
// @ts-ignore: decorator
@inline function refreshHeader(row: usize, A2: i32, h: usize): void {
  if (A2 == 12) rowHeaderShort(row, 12, h);
  else if (A2 == 8) rowHeaderShort(row, 8, h);
  else if (A2 == 16) rowHeaderShort(row, 16, h);
  else if (A2 == 4) rowHeaderShort(row, 4, h);
  else rowHeader(row, A2, h);
}

/** α for counts beyond the lookup table. */
function alphaSlow(n: u32, omega: f64, alphaMin: f64): f64 {
  return omega > 0 ? max(alphaMin, Math.pow(<f64>n, -omega)) : alphaMin;
}

/**
 * Trains episodes [from, to) of the run described by `desc`. Returns 0, or the 1-based index of the
 * first episode that produced a non-finite Q value or return (checked every episode), or whose
 * checkpoint saw a non-finite value.
 */
export function qlTrain(desc: usize, from: i32, to: i32): i32 {
  const slabs = dp(desc, QD_TRANS), feas = dp(desc, QD_FEAS), obs = dp(desc, QD_OBS);
  const starts = dp(desc, QD_STARTS), startCum = dp(desc, QD_START_CUM);
  const Qt = dp(desc, QD_Q), cnt = dp(desc, QD_COUNTS), lr = dp(desc, QD_LR), prm = dp(desc, QD_PRM);
  const st = dp(desc, QD_RNG), ckEp = dp(desc, QD_CK_EPISODES), scratch = dp(desc, QD_SCRATCH);
  const N = di(desc, QD_N), S = di(desc, QD_S), A = di(desc, QD_A), K = di(desc, QD_K);
  const So = di(desc, QD_S_OBS), nCk = di(desc, QD_N_CK), lrLen = <u32>di(desc, QD_LR_LEN);
  const epsKind = di(desc, QD_EPS_KIND);
  const gamma = pf(prm, QP_GAMMA), eps0 = pf(prm, QP_EPS0), eps1 = pf(prm, QP_EPS1);
  const fE = pf(prm, QP_EPS_FE), decay = pf(prm, QP_EPS_DECAY), omega = pf(prm, QP_OMEGA);
  const alphaMin = pf(prm, QP_ALPHA_MIN);
  let epsRaw = pf(prm, QP_EPS_RAW);
  let steps = pf(prm, QP_STEPS);
  let ckNext = di(desc, QD_CK_NEXT);
  let status = 0;
  const ring = scratch + ((<usize>(2 * S + So)) << 3);
  const recBytes = recordBytes(K), stateBytes = <usize>A * recBytes;
  const rOff = <usize>(K - 1) << 3, nOff = <usize>(2 * K - 1) << 3;
  const A2 = (A + 3) & ~3;
  const qRowBytes = <usize>A2 << 3;
  const qSlab = <usize>So * qRowBytes, cSlab = qSlab >> 1;
  // row headers: the max and tie mask of every Q row, kept current after each update (the host may
  // have rewritten Q between calls, so they are rebuilt here)
  const hd = dp(desc, QD_ROWS);
  const hSlab = <usize>So * QL_ROW_BYTES;
  for (let r = 0; r < N * So; r++) rowHeader(Qt + (<usize>(r * A2) << 3), A2, hd + <usize>r * QL_ROW_BYTES);
  let s0 = load<u64>(st), s1 = load<u64>(st, 8), s2 = load<u64>(st, 16), s3 = load<u64>(st, 24);
  let w: u64, x: u64;

  for (let e = from; e < to; e++) {
    let eps: f64;
    if (epsKind == 1) eps = eps0 + (eps1 - eps0) * min(1.0, <f64>e / fE);
    else if (epsKind == 2) {
      eps = max(eps1, epsRaw);
      epsRaw *= decay;
    } else eps = eps0;

    // start state
    w = rotl<u64>(s1 * 5, 7) * 9; x = s1 << 17;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= x; s3 = rotl<u64>(s3, 45);
    let u = <f64><i64>(w >> 11) * TWO_M53;
    let sp = startCum;
    while (u >= load<f64>(sp)) sp += 8;
    let s = load<i32>(starts + (sp - startCum) / 2);

    let ret = 0.0, disc = 1.0;
    let bad = 0.0; // stays 0 while every updated Q value is finite (x − x is NaN for ±∞ and NaN)
    let nfs = load<i32>(feas + (<usize>s << 2));
    let o = <usize>load<i32>(obs + (<usize>s << 2));
    let tOff = <usize>s * stateBytes;
    let qT = Qt, cT = cnt, hT = hd; // slabs of time step t
    let tT = <usize>load<i32>(slabs);
    let t = 0;
    for (; t < N; t++) {
      if (nfs == 0) break;
      const row = qT + o * qRowBytes;
      const hdr = hT + o * QL_ROW_BYTES;
      w = rotl<u64>(s1 * 5, 7) * 9; x = s1 << 17;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= x; s3 = rotl<u64>(s3, 45);
      u = <f64><i64>(w >> 11) * TWO_M53;
      let a: i32;
      if (u < eps) {
        w = rotl<u64>(s1 * 5, 7) * 9; x = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= x; s3 = rotl<u64>(s3, 45);
        a = <i32>(((w >> 11) * <u64>nfs) >> 53);
      } else {
        const ties = load<u64>(hdr, 8);
        const c = <i32>popcnt<u64>(ties);
        if (c > 1) {
          w = rotl<u64>(s1 * 5, 7) * 9; x = s1 << 17;
          s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= x; s3 = rotl<u64>(s3, 45);
          let k = <i32>(((w >> 11) * <u64>c) >> 53);
          let bits = ties;
          while (k > 0) { bits &= bits - 1; k--; }
          a = <i32>ctz<u64>(bits);
        } else a = <i32>ctz<u64>(ties);
      }

      // outcome: one uniform against the cumulative law; the index is the number of stored
      // thresholds ≤ u, counted without branches (the last threshold, 1, is never ≤ u)
      w = rotl<u64>(s1 * 5, 7) * 9; x = s1 << 17;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= x; s3 = rotl<u64>(s3, 45);
      u = <f64><i64>(w >> 11) * TWO_M53;
      const rec = tT + tOff + <usize>a * recBytes;
      let kk: usize = 0;
      for (let k = 0; k < K - 1; k++) kk += <usize>(u >= load<f64>(rec + (<usize>k << 3)));
      const r = load<f64>(rec + rOff + (kk << 3));
      const nx = rec + nOff + (kk << 3);
      const sn = <usize>load<i32>(nx);
      const nxInfo = load<u32>(nx, 4);
      const nfn = <i32>(nxInfo >> QL_NEXT_NF_SHIFT);
      const on = <usize>(nxInfo & ((1 << QL_NEXT_NF_SHIFT) - 1));

      // target: the max of row (t+1, s′), read from its header
      let y = r;
      if (t < N - 1 && nfn > 0) y = r + gamma * load<f64>(hT + hSlab + on * QL_ROW_BYTES);

      // update, then refresh the row's header
      const ci = cT + (o * qRowBytes >> 1) + (<usize>a << 2);
      const n = load<u32>(ci) + 1;
      store<u32>(ci, n);
      const alpha = n < lrLen ? load<f64>(lr + (<usize>n << 3)) : alphaSlow(n, omega, alphaMin);
      const qa = row + (<usize>a << 3);
      const qv = load<f64>(qa);
      const qn = qv + alpha * (y - qv);
      store<f64>(qa, qn);
      refreshHeader(row, A2, hdr);
      bad += qn - qn;

      ret += disc * r;
      disc *= gamma;
      nfs = nfn;
      o = on;
      tOff = sn * stateBytes;
      qT += qSlab;
      tT = <usize>load<i32>(slabs + (<usize>(t + 1) << 2)); // (slot N exists: the host pads the table)
      cT += cSlab;
      hT += hSlab;
    }
    steps += <f64>t;
    store<f64>(ring + (<usize>(e % QL_RING) << 3), ret);

    if (!isFinite(ret + bad)) {
      status = e + 1;
      break;
    }
    if (ckNext < nCk && e + 1 == load<i32>(ckEp + (<usize>ckNext << 2))) {
      const ok = qlCheckpoint(desc, ckNext, e + 1);
      ckNext++;
      if (!ok) {
        status = e + 1;
        break;
      }
    }
  }
  store<u64>(st, s0); store<u64>(st, s1, 8); store<u64>(st, s2, 16); store<u64>(st, s3, 24);
  store<i32>(desc + (<usize>QD_CK_NEXT << 2), ckNext);
  store<f64>(prm + (<usize>QP_EPS_RAW << 3), epsRaw);
  store<f64>(prm + (<usize>QP_STEPS << 3), steps);
  return status;
}

/**
 * Writes checkpoint record `ck` after `episodes` episodes: exact V^π̂(d0) of the greedy evaluation
 * policy (argmax over visited feasible actions, lowest index; none visited → action 0) by backward
 * policy evaluation, the Q error at the start states, the visited share and the moving-average return.
 * Returns false when a value is not finite.
 */
function qlCheckpoint(desc: usize, ck: i32, episodes: i32): bool {
  const slabs = dp(desc, QD_TRANS), feas = dp(desc, QD_FEAS), obs = dp(desc, QD_OBS);
  const obsFeas = dp(desc, QD_OBS_FEAS), starts = dp(desc, QD_STARTS), startProb = dp(desc, QD_START_PROB);
  const Qt = dp(desc, QD_Q), cnt = dp(desc, QD_COUNTS), prm = dp(desc, QD_PRM), scratch = dp(desc, QD_SCRATCH);
  const reach = dp(desc, QD_REACH), vstar0 = dp(desc, QD_VSTAR0);
  const out = dp(desc, QD_CK_OUT) + (<usize>(ck * QL_CK_STRIDE) << 3);
  const N = di(desc, QD_N), S = di(desc, QD_S), A = di(desc, QD_A), K = di(desc, QD_K);
  const So = di(desc, QD_S_OBS), nStarts = di(desc, QD_N_STARTS);
  const gamma = pf(prm, QP_GAMMA);
  const A2 = (A + 3) & ~3;
  const recBytes = recordBytes(K), rOff = <usize>(K - 1) << 3, nOff = <usize>(2 * K - 1) << 3;
  let vNext = scratch, vCur = scratch + (<usize>S << 3);
  const pi = scratch + (<usize>(2 * S) << 3); // i32[S_obs] in the f64 slots
  const ring = scratch + (<usize>(2 * S + So) << 3);

  for (let s = 0; s < S; s++) store<f64>(vNext + (<usize>s << 3), 0);
  let visited = 0.0, feasibleCells = 0.0;
  for (let t = N - 1; t >= 0; t--) {
    for (let o = 0; o < So; o++) {
      const nf = load<i32>(obsFeas + (<usize>o << 2));
      const row = (t * So + o) * A2;
      let best = -Infinity;
      let arg = 0;
      const live = load<u8>(reach + <usize>(t * So + o)) != 0;
      if (live) feasibleCells += <f64>nf;
      for (let a = 0; a < nf; a++) {
        if (load<u32>(cnt + (<usize>(row + a) << 2)) == 0) continue;
        if (live) visited += 1;
        const v = load<f64>(Qt + (<usize>(row + a) << 3));
        if (v > best) { best = v; arg = a; }
      }
      store<i32>(pi + (<usize>o << 2), arg);
    }
    for (let s = 0; s < S; s++) {
      let v = 0.0;
      if (load<i32>(feas + (<usize>s << 2)) > 0) {
        const a = load<i32>(pi + (<usize>load<i32>(obs + (<usize>s << 2)) << 2));
        const rec = <usize>load<i32>(slabs + (<usize>t << 2)) + <usize>(s * A + a) * recBytes;
        let prev = 0.0;
        for (let k = 0; k < K; k++) {
          const cum = k < K - 1 ? load<f64>(rec + (<usize>k << 3)) : 1.0;
          const p = cum - prev;
          prev = cum;
          const ko = <usize>k << 3;
          const next = <usize>load<i32>(rec + nOff + ko);
          if (p != 0) v += p * (load<f64>(rec + rOff + ko) + gamma * load<f64>(vNext + (next << 3)));
          if (cum == 1) break;
        }
      }
      store<f64>(vCur + (<usize>s << 3), v);
    }
    const tmp = vNext; vNext = vCur; vCur = tmp;
  }
  // vNext now holds V_0
  let value = 0.0, qerr = 0.0;
  for (let i = 0; i < nStarts; i++) {
    const s = load<i32>(starts + (<usize>i << 2));
    const p = load<f64>(startProb + (<usize>i << 3));
    value += p * load<f64>(vNext + (<usize>s << 3));
    const row = load<i32>(obs + (<usize>s << 2)) * A2;
    const nf = load<i32>(feas + (<usize>s << 2));
    let best = -Infinity;
    for (let a = 0; a < nf; a++) best = max(best, load<f64>(Qt + (<usize>(row + a) << 3)));
    if (nf > 0) qerr += p * abs(best - load<f64>(vstar0 + (<usize>i << 3)));
  }
  const n = min(episodes, QL_RING);
  let sum = 0.0;
  for (let i = 0; i < n; i++) sum += load<f64>(ring + (<usize>i << 3));
  store<f64>(out + (<usize>QL_CK_EPISODE << 3), <f64>episodes);
  store<f64>(out + (<usize>QL_CK_VALUE << 3), value);
  store<f64>(out + (<usize>QL_CK_QERR << 3), qerr);
  store<f64>(out + (<usize>QL_CK_VISITED << 3), feasibleCells > 0 ? visited / feasibleCells : 1.0);
  store<f64>(out + (<usize>QL_CK_RETURN << 3), sum / <f64>n);
  return isFinite(value) && isFinite(qerr);
}

// ---- greedy evaluation: Monte Carlo episodes of a fixed policy ----
export const QL_EVAL_RETURN: i32 = 0;
export const QL_EVAL_LEFTOVER: i32 = 1;
export const QL_EVAL_TLIQ: i32 = 2;
export const QL_EVAL_STRIDE: i32 = 3;

/**
 * Runs `episodes` episodes of the policy `policy` (i32 at t·S + s over env states) with the stream at
 * `st`, writing (discounted return, q_N, T_liq) per episode to `out`. Every episode draws exactly
 * 1 + N uniforms (start, then one per step even after absorption), so two policies run on the same
 * stream see common random numbers step by step.
 */
export function qlEvaluate(desc: usize, policy: usize, st: usize, episodes: i32, out: usize): void {
  const slabs = dp(desc, QD_TRANS), feas = dp(desc, QD_FEAS), inv = dp(desc, QD_INVENTORY);
  const starts = dp(desc, QD_STARTS), startCum = dp(desc, QD_START_CUM), prm = dp(desc, QD_PRM);
  const N = di(desc, QD_N), S = di(desc, QD_S), A = di(desc, QD_A), K = di(desc, QD_K);
  const gamma = pf(prm, QP_GAMMA);
  const recBytes = recordBytes(K), rOff = <usize>(K - 1) << 3, nOff = <usize>(2 * K - 1) << 3;
  let s0 = load<u64>(st), s1 = load<u64>(st, 8), s2 = load<u64>(st, 16), s3 = load<u64>(st, 24);
  let w: u64, x: u64;
  for (let e = 0; e < episodes; e++) {
    w = rotl<u64>(s1 * 5, 7) * 9; x = s1 << 17;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= x; s3 = rotl<u64>(s3, 45);
    let u = <f64><i64>(w >> 11) * TWO_M53;
    let sp = startCum;
    while (u >= load<f64>(sp)) sp += 8;
    let s = load<i32>(starts + (sp - startCum) / 2);
    let ret = 0.0, disc = 1.0;
    let tLiq = N;
    for (let t = 0; t < N; t++) {
      w = rotl<u64>(s1 * 5, 7) * 9; x = s1 << 17;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= x; s3 = rotl<u64>(s3, 45);
      if (tLiq == N && load<i32>(inv + (<usize>s << 2)) == 0) tLiq = t;
      if (load<i32>(feas + (<usize>s << 2)) == 0) continue;
      u = <f64><i64>(w >> 11) * TWO_M53;
      const a = load<i32>(policy + (<usize>(t * S + s) << 2));
      const rec = <usize>load<i32>(slabs + (<usize>t << 2)) + <usize>(s * A + a) * recBytes;
      let k = 0;
      while (k < K - 1 && u >= load<f64>(rec + (<usize>k << 3))) k++;
      ret += disc * load<f64>(rec + rOff + (<usize>k << 3));
      disc *= gamma;
      s = load<i32>(rec + nOff + (<usize>k << 3));
    }
    const o = out + (<usize>(e * QL_EVAL_STRIDE) << 3);
    store<f64>(o, ret);
    store<f64>(o, <f64>load<i32>(inv + (<usize>s << 2)), 8);
    store<f64>(o, <f64>tLiq, 16);
  }
  store<u64>(st, s0); store<u64>(st, s1, 8); store<u64>(st, s2, 16); store<u64>(st, s3, 24);
}
