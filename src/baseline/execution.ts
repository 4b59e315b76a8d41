/**
 * TS twin of assembly/execution/qlearn.ts: the same tabular Q-learning run (spec §2) and greedy
 * Monte Carlo evaluation, on the same xoshiro256** stream (emulated on int32 pairs), the same shared
 * tables and schedules, and the same operation order — so Q tables, counts and checkpoints agree with
 * the WASM kernel bit for bit.
 */

import { NEXT_I32, REC } from '../execution/env.js';

const TWO32 = 4294967296;
const TWO21 = 2097152;
const TWO53 = 9007199254740992;
const TWO_M53 = 1 / TWO53;

/**
 * ⌊m·n/2⁵³⌋ exactly for the word (hi, lo), m = its top 53 bits and 0 < n < 2⁸ (the kernel's
 * (m·n) >> 53): m·n = (H·n)·2²¹ + L·n with H = hi, L = lo >>> 11.
 */
function pick(hi: number, lo: number, n: number): number {
  const P = (hi >>> 0) * n;
  const q = Math.floor(P / TWO32);
  const r = P - q * TWO32;
  return r * TWO21 >= TWO53 - (lo >>> 11) * n ? q + 1 : q;
}
export const QL_RING = 100;
export const CK_STRIDE = 5;
/** Evaluation records (the kernel's QL_EVAL_*): discounted return, q_N and T_liq per episode. */
export const EVAL_STRIDE = 3;
export const EVAL_RETURN = 0;
export const EVAL_LEFTOVER = 1;
export const EVAL_TLIQ = 2;

/** Everything one run reads and writes; the twin of the kernel's descriptor block. */
export interface QlRunBuffers {
  readonly trans: Float64Array;
  /** The records as i32: the next state of the record at f64 offset off is transI32[2·off + 4]. */
  readonly transI32: Int32Array;
  readonly feasible: Int32Array;
  readonly obs: Int32Array;
  readonly obsFeasible: Int32Array;
  readonly starts: Int32Array;
  readonly startCum: Float64Array;
  readonly startProb: Float64Array;
  readonly inventory: Int32Array;
  readonly Q: Float64Array;
  readonly counts: Uint32Array;
  /** α_n for n < lr.length. */
  readonly lr: Float64Array;
  /** Stream state (streamFromKey), advanced in place. */
  readonly rng: Int32Array;
  readonly ckEpisodes: Int32Array;
  readonly ckOut: Float64Array;
  readonly reach: Uint8Array;
  readonly vstar0: Float64Array;
  readonly horizon: number;
  readonly states: number;
  readonly actions: number;
  readonly outcomes: number;
  readonly obsStates: number;
  readonly gamma: number;
  /** 0 const, 1 linear, 2 exp. */
  readonly epsKind: number;
  readonly eps0: number;
  readonly eps1: number;
  readonly epsFE: number;
  readonly epsDecay: number;
  readonly omega: number;
  readonly alphaMin: number;
  /** Carried between calls: next checkpoint index, ε0·d^e of the next episode, steps so far, return ring. */
  readonly state: { ckNext: number; epsRaw: number; steps: number; readonly ring: Float64Array };
}

function alphaSlow(n: number, omega: number, alphaMin: number): number {
  return omega > 0 ? Math.max(alphaMin, n ** -omega) : alphaMin;
}

/** Trains episodes [from, to); returns 0 or the 1-based index of the first episode with a non-finite Q value or return, or whose checkpoint saw a non-finite value (the kernel's qlTrain). */
export function qlTrain(b: QlRunBuffers, from: number, to: number): number {
  const {
    trans,
    transI32,
    feasible: feas,
    obs,
    starts,
    startCum,
    Q,
    counts: cnt,
    lr,
    rng: st,
    ckEpisodes: ckEp,
  } = b;
  const N = b.horizon,
    S = b.states,
    A = b.actions,
    K = b.outcomes,
    So = b.obsStates;
  const nCk = ckEp.length,
    lrLen = lr.length,
    epsKind = b.epsKind;
  const gamma = b.gamma,
    eps0 = b.eps0,
    eps1 = b.eps1,
    fE = b.epsFE,
    decay = b.epsDecay,
    omega = b.omega,
    alphaMin = b.alphaMin;
  const ring = b.state.ring;
  let epsRaw = b.state.epsRaw;
  let steps = b.state.steps;
  let ckNext = b.state.ckNext;
  const recStride = K * REC;
  let s0h = st[0] as number,
    s0l = st[1] as number,
    s1h = st[2] as number,
    s1l = st[3] as number;
  let s2h = st[4] as number,
    s2l = st[5] as number,
    s3h = st[6] as number,
    s3l = st[7] as number;
  let p = 0,
    ml = 0,
    mh = 0,
    rh = 0,
    rl = 0,
    wl = 0,
    wh = 0,
    th = 0,
    tl = 0,
    r3 = 0;
  const spill = () => {
    st[0] = s0h;
    st[1] = s0l;
    st[2] = s1h;
    st[3] = s1l;
    st[4] = s2h;
    st[5] = s2l;
    st[6] = s3h;
    st[7] = s3l;
    b.state.ckNext = ckNext;
    b.state.epsRaw = epsRaw;
    b.state.steps = steps;
  };

  for (let e = from; e < to; e++) {
    let eps: number;
    if (epsKind === 1) eps = eps0 + (eps1 - eps0) * Math.min(1, e / fE);
    else if (epsKind === 2) {
      eps = Math.max(eps1, epsRaw);
      epsRaw *= decay;
    } else eps = eps0;

    // start state — xoshiro256** step (as in every draw below): w = rotl(s1·5, 7)·9, then the update
    p = (s1l >>> 0) * 5;
    ml = p | 0;
    mh = (Math.imul(s1h, 5) + Math.floor(p / TWO32)) | 0;
    rh = (mh << 7) | (ml >>> 25);
    rl = (ml << 7) | (mh >>> 25);
    p = (rl >>> 0) * 9;
    wl = p | 0;
    wh = (Math.imul(rh, 9) + Math.floor(p / TWO32)) | 0;
    th = (s1h << 17) | (s1l >>> 15);
    tl = s1l << 17;
    s2h ^= s0h;
    s2l ^= s0l;
    s3h ^= s1h;
    s3l ^= s1l;
    s1h ^= s2h;
    s1l ^= s2l;
    s0h ^= s3h;
    s0l ^= s3l;
    s2h ^= th;
    s2l ^= tl;
    r3 = (s3l << 13) | (s3h >>> 19);
    s3l = (s3h << 13) | (s3l >>> 19);
    s3h = r3;
    let u = ((wh >>> 0) * TWO21 + (wl >>> 11)) * TWO_M53;
    let si = 0;
    while (u >= (startCum[si] as number)) si++;
    let s = starts[si] as number;

    let ret = 0,
      disc = 1;
    let bad = 0; // stays 0 while every updated Q value is finite
    let cached = false;
    let cMax = 0,
      cArg = 0,
      cCnt = 0;
    let len = 0;
    for (let t = 0; t < N; t++) {
      const nfs = feas[s] as number;
      if (nfs === 0) break;
      const row = (t * So + (obs[s] as number)) * A;
      p = (s1l >>> 0) * 5;
      ml = p | 0;
      mh = (Math.imul(s1h, 5) + Math.floor(p / TWO32)) | 0;
      rh = (mh << 7) | (ml >>> 25);
      rl = (ml << 7) | (mh >>> 25);
      p = (rl >>> 0) * 9;
      wl = p | 0;
      wh = (Math.imul(rh, 9) + Math.floor(p / TWO32)) | 0;
      th = (s1h << 17) | (s1l >>> 15);
      tl = s1l << 17;
      s2h ^= s0h;
      s2l ^= s0l;
      s3h ^= s1h;
      s3l ^= s1l;
      s1h ^= s2h;
      s1l ^= s2l;
      s0h ^= s3h;
      s0l ^= s3l;
      s2h ^= th;
      s2l ^= tl;
      r3 = (s3l << 13) | (s3h >>> 19);
      s3l = (s3h << 13) | (s3l >>> 19);
      s3h = r3;
      u = ((wh >>> 0) * TWO21 + (wl >>> 11)) * TWO_M53;
      let a: number;
      if (u < eps) {
        p = (s1l >>> 0) * 5;
        ml = p | 0;
        mh = (Math.imul(s1h, 5) + Math.floor(p / TWO32)) | 0;
        rh = (mh << 7) | (ml >>> 25);
        rl = (ml << 7) | (mh >>> 25);
        p = (rl >>> 0) * 9;
        wl = p | 0;
        wh = (Math.imul(rh, 9) + Math.floor(p / TWO32)) | 0;
        th = (s1h << 17) | (s1l >>> 15);
        tl = s1l << 17;
        s2h ^= s0h;
        s2l ^= s0l;
        s3h ^= s1h;
        s3l ^= s1l;
        s1h ^= s2h;
        s1l ^= s2l;
        s0h ^= s3h;
        s0l ^= s3l;
        s2h ^= th;
        s2l ^= tl;
        r3 = (s3l << 13) | (s3h >>> 19);
        s3l = (s3h << 13) | (s3l >>> 19);
        s3h = r3;
        a = pick(wh, wl, nfs);
      } else {
        if (!cached) {
          cMax = Q[row] as number;
          cArg = 0;
          cCnt = 1;
          for (let c = 1; c < nfs; c++) {
            const v = Q[row + c] as number;
            if (v > cMax) {
              cMax = v;
              cArg = c;
              cCnt = 1;
            } else if (v === cMax) cCnt++;
          }
        }
        a = cArg;
        if (cCnt > 1) {
          p = (s1l >>> 0) * 5;
          ml = p | 0;
          mh = (Math.imul(s1h, 5) + Math.floor(p / TWO32)) | 0;
          rh = (mh << 7) | (ml >>> 25);
          rl = (ml << 7) | (mh >>> 25);
          p = (rl >>> 0) * 9;
          wl = p | 0;
          wh = (Math.imul(rh, 9) + Math.floor(p / TWO32)) | 0;
          th = (s1h << 17) | (s1l >>> 15);
          tl = s1l << 17;
          s2h ^= s0h;
          s2l ^= s0l;
          s3h ^= s1h;
          s3l ^= s1l;
          s1h ^= s2h;
          s1l ^= s2l;
          s0h ^= s3h;
          s0l ^= s3l;
          s2h ^= th;
          s2l ^= tl;
          r3 = (s3l << 13) | (s3h >>> 19);
          s3l = (s3h << 13) | (s3l >>> 19);
          s3h = r3;
          let k = pick(wh, wl, cCnt);
          for (let c = cArg; c < nfs; c++) {
            if ((Q[row + c] as number) === cMax) {
              if (k === 0) {
                a = c;
                break;
              }
              k--;
            }
          }
        }
      }

      // outcome
      p = (s1l >>> 0) * 5;
      ml = p | 0;
      mh = (Math.imul(s1h, 5) + Math.floor(p / TWO32)) | 0;
      rh = (mh << 7) | (ml >>> 25);
      rl = (ml << 7) | (mh >>> 25);
      p = (rl >>> 0) * 9;
      wl = p | 0;
      wh = (Math.imul(rh, 9) + Math.floor(p / TWO32)) | 0;
      th = (s1h << 17) | (s1l >>> 15);
      tl = s1l << 17;
      s2h ^= s0h;
      s2l ^= s0l;
      s3h ^= s1h;
      s3l ^= s1l;
      s1h ^= s2h;
      s1l ^= s2l;
      s0h ^= s3h;
      s0l ^= s3l;
      s2h ^= th;
      s2l ^= tl;
      r3 = (s3l << 13) | (s3h >>> 19);
      s3l = (s3h << 13) | (s3l >>> 19);
      s3h = r3;
      u = ((wh >>> 0) * TWO21 + (wl >>> 11)) * TWO_M53;
      let rec = ((t * S + s) * A + a) * recStride;
      while (u >= (trans[rec] as number)) rec += REC;
      const r = trans[rec + 1] as number;
      const sn = transI32[2 * rec + NEXT_I32] as number;

      // target
      let y = r;
      cached = false;
      if (t < N - 1) {
        const nfn = feas[sn] as number;
        if (nfn > 0) {
          const row2 = ((t + 1) * So + (obs[sn] as number)) * A;
          cMax = Q[row2] as number;
          cArg = 0;
          cCnt = 1;
          for (let c = 1; c < nfn; c++) {
            const v = Q[row2 + c] as number;
            if (v > cMax) {
              cMax = v;
              cArg = c;
              cCnt = 1;
            } else if (v === cMax) cCnt++;
          }
          cached = true;
          y = r + gamma * cMax;
        }
      }

      // update
      const idx = row + a;
      const n = (cnt[idx] as number) + 1;
      cnt[idx] = n;
      const alpha = n < lrLen ? (lr[n] as number) : alphaSlow(n, omega, alphaMin);
      const qv = Q[idx] as number;
      const qn = qv + alpha * (y - qv);
      Q[idx] = qn;
      bad += qn - qn;

      ret += disc * r;
      disc *= gamma;
      s = sn;
      len++;
    }
    steps += len;
    ring[e % QL_RING] = ret;

    if (!Number.isFinite(ret + bad)) {
      spill();
      return e + 1;
    }
    if (ckNext < nCk && e + 1 === ckEp[ckNext]) {
      const ok = qlCheckpoint(b, ckNext, e + 1);
      ckNext++;
      if (!ok) {
        spill();
        return e + 1;
      }
    }
  }
  spill();
  return 0;
}

/** Checkpoint record `ck` (the kernel's qlCheckpoint, same order of operations). */
function qlCheckpoint(b: QlRunBuffers, ck: number, episodes: number): boolean {
  const { trans, transI32, feasible: feas, obs, obsFeasible: obsFeas, starts, startProb, Q, counts: cnt } = b;
  const N = b.horizon,
    S = b.states,
    A = b.actions,
    K = b.outcomes,
    So = b.obsStates,
    gamma = b.gamma;
  let vNext = new Float64Array(S);
  let vCur = new Float64Array(S);
  const pi = new Int32Array(So);
  let visited = 0,
    feasibleCells = 0;
  for (let t = N - 1; t >= 0; t--) {
    for (let o = 0; o < So; o++) {
      const nf = obsFeas[o] as number;
      const row = (t * So + o) * A;
      let best = Number.NEGATIVE_INFINITY;
      let arg = 0;
      const live = b.reach[t * So + o] !== 0;
      if (live) feasibleCells += nf;
      for (let a = 0; a < nf; a++) {
        if (cnt[row + a] === 0) continue;
        if (live) visited += 1;
        const v = Q[row + a] as number;
        if (v > best) {
          best = v;
          arg = a;
        }
      }
      pi[o] = arg;
    }
    for (let s = 0; s < S; s++) {
      let v = 0;
      if ((feas[s] as number) > 0) {
        const a = pi[obs[s] as number] as number;
        let rec = ((t * S + s) * A + a) * K * REC;
        let prev = 0;
        for (let k = 0; k < K; k++) {
          const cum = trans[rec] as number;
          const p = cum - prev;
          prev = cum;
          if (p !== 0)
            v +=
              p *
              ((trans[rec + 1] as number) +
                gamma * (vNext[transI32[2 * rec + NEXT_I32] as number] as number));
          if (cum === 1) break;
          rec += REC;
        }
      }
      vCur[s] = v;
    }
    const tmp = vNext;
    vNext = vCur;
    vCur = tmp;
  }
  let value = 0,
    qerr = 0;
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i] as number;
    const p = startProb[i] as number;
    value += p * (vNext[s] as number);
    const row = (obs[s] as number) * A;
    const nf = feas[s] as number;
    let best = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < nf; a++) best = Math.max(best, Q[row + a] as number);
    if (nf > 0) qerr += p * Math.abs(best - (b.vstar0[i] as number));
  }
  const n = Math.min(episodes, QL_RING);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += b.state.ring[i] as number;
  const out = ck * CK_STRIDE;
  b.ckOut[out] = episodes;
  b.ckOut[out + 1] = value;
  b.ckOut[out + 2] = qerr;
  b.ckOut[out + 3] = feasibleCells > 0 ? visited / feasibleCells : 1;
  b.ckOut[out + 4] = sum / n;
  return Number.isFinite(value) && Number.isFinite(qerr);
}

/**
 * Greedy evaluation (the kernel's qlEvaluate): `episodes` episodes of `policy` (t·S + s) on the
 * stream `st`, writing (discounted return, q_N, T_liq) per episode; 1 + N uniforms per episode.
 */
export function qlEvaluate(
  b: Pick<
    QlRunBuffers,
    | 'trans'
    | 'transI32'
    | 'feasible'
    | 'inventory'
    | 'starts'
    | 'startCum'
    | 'horizon'
    | 'states'
    | 'actions'
    | 'outcomes'
    | 'gamma'
  >,
  policy: Int32Array,
  st: Int32Array,
  episodes: number,
  out: Float64Array,
): void {
  const { trans, transI32, feasible: feas, inventory: inv, starts, startCum } = b;
  const N = b.horizon,
    S = b.states,
    A = b.actions,
    recStride = b.outcomes * REC,
    gamma = b.gamma;
  let s0h = st[0] as number,
    s0l = st[1] as number,
    s1h = st[2] as number,
    s1l = st[3] as number;
  let s2h = st[4] as number,
    s2l = st[5] as number,
    s3h = st[6] as number,
    s3l = st[7] as number;
  let p = 0,
    ml = 0,
    mh = 0,
    rh = 0,
    rl = 0,
    wl = 0,
    wh = 0,
    th = 0,
    tl = 0,
    r3 = 0;
  for (let e = 0; e < episodes; e++) {
    let u = 0;
    let s = 0;
    let ret = 0,
      disc = 1,
      tLiq = N;
    for (let t = -1; t < N; t++) {
      p = (s1l >>> 0) * 5;
      ml = p | 0;
      mh = (Math.imul(s1h, 5) + Math.floor(p / TWO32)) | 0;
      rh = (mh << 7) | (ml >>> 25);
      rl = (ml << 7) | (mh >>> 25);
      p = (rl >>> 0) * 9;
      wl = p | 0;
      wh = (Math.imul(rh, 9) + Math.floor(p / TWO32)) | 0;
      th = (s1h << 17) | (s1l >>> 15);
      tl = s1l << 17;
      s2h ^= s0h;
      s2l ^= s0l;
      s3h ^= s1h;
      s3l ^= s1l;
      s1h ^= s2h;
      s1l ^= s2l;
      s0h ^= s3h;
      s0l ^= s3l;
      s2h ^= th;
      s2l ^= tl;
      r3 = (s3l << 13) | (s3h >>> 19);
      s3l = (s3h << 13) | (s3l >>> 19);
      s3h = r3;
      u = ((wh >>> 0) * TWO21 + (wl >>> 11)) * TWO_M53;
      if (t < 0) {
        let si = 0;
        while (u >= (startCum[si] as number)) si++;
        s = starts[si] as number;
        continue;
      }
      if (tLiq === N && inv[s] === 0) tLiq = t;
      if (feas[s] === 0) continue;
      const a = policy[t * S + s] as number;
      let rec = ((t * S + s) * A + a) * recStride;
      while (u >= (trans[rec] as number)) rec += REC;
      ret += disc * (trans[rec + 1] as number);
      disc *= gamma;
      s = transI32[2 * rec + NEXT_I32] as number;
    }
    out[e * EVAL_STRIDE + EVAL_RETURN] = ret;
    out[e * EVAL_STRIDE + EVAL_LEFTOVER] = inv[s] as number;
    out[e * EVAL_STRIDE + EVAL_TLIQ] = tLiq;
  }
  st[0] = s0h;
  st[1] = s0l;
  st[2] = s1h;
  st[3] = s1l;
  st[4] = s2h;
  st[5] = s2l;
  st[6] = s3h;
  st[7] = s3l;
}
