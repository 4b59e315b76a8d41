/**
 * Exact statistics of a policy on an execution MDP (spec §2 "Record", §3 "Comparing π̂ with the
 * optimum", §5's LO share / MO count), all from the occupancy recursion: no Monte Carlo.
 */
import { type DpSolution, evaluatePolicy, isOptimal, occupancy, startValue, tieTolerance } from './dp.js';
import { ActionKind, type ExecutionMdp } from './env.js';

export interface PolicyStats {
  /** V^π(d0). */
  readonly value: number;
  /** E[q_t], t = 0…N. */
  readonly inventory: number[];
  /** E[q_N] and P(q_N > 0). */
  readonly leftover: number;
  readonly pLeftover: number;
  /** E[T_liq] = Σ_{t<N} P(q_t > 0) (first t with q_t = 0, N if never). */
  readonly liquidationTime: number;
  /** Mean execution step t̄ = (Σ_t t·E[sold_t] + N·E[q_N])/Q0. */
  readonly meanStep: number;
  /** Expected lots filled by LOs and by MOs (order-type; 0 elsewhere), and their share. */
  readonly loVolume: number;
  readonly moVolume: number;
  readonly loShare: number;
  /** Expected number of MO actions per episode, and expected MO lots per step t. */
  readonly moCount: number;
  readonly moVolumeByStep: number[];
  /** Occupancy d_t(s) (t = 0…N). */
  readonly occupancy: Float64Array;
}

/** Exact statistics of a policy over env states (t·S + s). */
export function policyStats(m: ExecutionMdp, policy: Int32Array, V = evaluatePolicy(m, policy)): PolicyStats {
  const { horizon: N, states: S } = m;
  let loVolume = 0;
  let moVolume = 0;
  let moCount = 0;
  const moVolumeByStep = new Array<number>(N).fill(0);
  const d = occupancy(m, policy, (t, s, a, mass, next) => {
    const kind = m.actionKind[a] as number;
    const sold = (m.inventory[s] as number) - (m.inventory[next] as number);
    if (kind === ActionKind.Limit) loVolume += mass * sold;
    else if (kind === ActionKind.Market) {
      moVolume += mass * sold;
      moVolumeByStep[t] = (moVolumeByStep[t] as number) + mass * sold;
    }
  });
  const inventory: number[] = [];
  let pLeftover = 0;
  for (let t = 0; t <= N; t++) {
    let e = 0;
    for (let s = 0; s < S; s++) {
      const w = d[t * S + s] as number;
      if (w === 0) continue;
      e += w * (m.inventory[s] as number);
      if (t === N && (m.inventory[s] as number) > 0) pLeftover += w;
      if (
        t < N &&
        (m.feasible[s] as number) > 0 &&
        m.actionKind[policy[t * S + s] as number] === ActionKind.Market
      )
        moCount += w;
    }
    inventory.push(e);
  }
  let liquidationTime = 0;
  for (let t = 0; t < N; t++) {
    for (let s = 0; s < S; s++) if ((m.inventory[s] as number) > 0) liquidationTime += d[t * S + s] as number;
  }
  let meanStep = N * (inventory[N] as number);
  for (let t = 0; t < N; t++) meanStep += t * ((inventory[t] as number) - (inventory[t + 1] as number));
  meanStep /= m.q0;
  const executed = loVolume + moVolume;
  return {
    value: startValue(m, V),
    inventory,
    leftover: inventory[N] as number,
    pLeftover,
    liquidationTime,
    meanStep,
    loVolume,
    moVolume,
    loShare: executed > 0 ? loVolume / executed : 0,
    moCount,
    moVolumeByStep,
    occupancy: d,
  };
}

export interface Comparison {
  /** V*(d0), V^π̂(d0) and the gap Δ = V* − V^π̂ ≥ 0; `exact` when Δ ≤ 1e-9(1 + |V*|). */
  readonly optimum: number;
  readonly value: number;
  readonly gap: number;
  readonly exact: boolean;
  /** Share of non-absorbing (t, s) with d*_t(s) ≥ 1e-3 where π̂(t, s) ∈ A*_t(s). */
  readonly agreement: number;
}

/** Compares a policy over env states with the optimum (spec §3). */
export function compareWithOptimum(
  m: ExecutionMdp,
  sol: DpSolution,
  policy: Int32Array,
  dStar = occupancy(m, sol.policy),
): Comparison {
  const V = evaluatePolicy(m, policy);
  const value = startValue(m, V);
  const gap = sol.value - value;
  const { horizon: N, states: S } = m;
  let n = 0;
  let agree = 0;
  for (let t = 0; t < N; t++)
    for (let s = 0; s < S; s++) {
      if ((m.feasible[s] as number) === 0 || (dStar[t * S + s] as number) < 1e-3) continue;
      n++;
      if (isOptimal(m, sol, t, s, policy[t * S + s] as number)) agree++;
    }
  return {
    optimum: sol.value,
    value,
    gap,
    exact: gap <= tieTolerance(sol.value),
    agreement: n > 0 ? agree / n : 1,
  };
}

/**
 * The greedy evaluation policy π̂ of spec §2 from a learned table: argmax over feasible actions with
 * n > 0, lowest index on ties; if none was visited, the lowest feasible index. Over obs indices.
 */
export function greedyPolicy(m: ExecutionMdp, Q: Float64Array, counts: Uint32Array): Int32Array {
  const { horizon: N, obsStates: O, actions: A } = m;
  const pi = new Int32Array(N * O);
  for (let t = 0; t < N; t++)
    for (let o = 0; o < O; o++) {
      const row = (t * O + o) * A;
      let best = Number.NEGATIVE_INFINITY;
      let arg = 0;
      for (let a = 0; a < (m.obsFeasible[o] as number); a++) {
        if ((counts[row + a] as number) === 0) continue;
        const q = Q[row + a] as number;
        if (q > best) {
          best = q;
          arg = a;
        }
      }
      pi[t * O + o] = arg;
    }
  return pi;
}

/**
 * Share of a per-step volume (e.g. the expected MO volume) that falls in the last `steps` steps.
 * Without any volume the share is undefined: NaN, so a criterion stated on it fails.
 */
export function lateShare(byStep: readonly number[], steps: number): number {
  const total = byStep.reduce((a, b) => a + b, 0);
  return total > 0 ? byStep.slice(-steps).reduce((a, b) => a + b, 0) / total : Number.NaN;
}
