/**
 * Exact solver of spec §3 on the very tables the learner samples: backward induction (Q*, V*, π*),
 * set-based argmax with the spec's tolerance, policy evaluation for any policy, occupancy from d0 and
 * forward reachability. Outcome probabilities are the differences of the stored cumulative law.
 */
import { type ExecutionMdp, NEXT_I32, REC } from './env.js';

/** The spec's tie tolerance: a ∈ A*_t(s) ⇔ Q*_t(s,a) ≥ V_t(s) − 1e-9(1 + |V_t(s)|). */
export function tieTolerance(v: number): number {
  return 1e-9 * (1 + Math.abs(v));
}

export interface DpSolution {
  /** V*_t(s) at t·S + s for t = 0…N (V_N ≡ 0). */
  readonly V: Float64Array;
  /** Q*_t(s, a) at (t·S + s)·A + a; −∞ for infeasible actions and absorbing states. */
  readonly Q: Float64Array;
  /** π*: the lowest-index optimal action at t·S + s (−1 on absorbing states). */
  readonly policy: Int32Array;
  /** V*(d0) = Σ d0(s) V*_0(s). */
  readonly value: number;
}

/** Expected one-step value Σ_k p_k [r_k + γ V_{t+1}(s′_k)] of (t, s, a). */
export function actionValue(
  m: ExecutionMdp,
  t: number,
  s: number,
  a: number,
  Vnext: Float64Array,
  vOff: number,
): number {
  const K = m.outcomes;
  let off = ((t * m.states + s) * m.actions + a) * K * REC;
  let prev = 0;
  let sum = 0;
  for (let k = 0; k < K; k++, off += REC) {
    const cum = m.trans[off] as number;
    const p = cum - prev;
    prev = cum;
    if (p === 0) continue;
    sum +=
      p *
      ((m.trans[off + 1] as number) +
        m.gamma * (Vnext[vOff + (m.transI32[2 * off + NEXT_I32] as number)] as number));
    if (cum === 1) break;
  }
  return sum;
}

/** Backward induction: V_N ≡ 0; Q*_t(s,a) = Σ p[r + γV_{t+1}(s′)]; V_t = max over the feasible prefix. */
export function solve(m: ExecutionMdp): DpSolution {
  const { horizon: N, states: S, actions: A } = m;
  const V = new Float64Array((N + 1) * S);
  const Q = new Float64Array(N * S * A).fill(Number.NEGATIVE_INFINITY);
  const policy = new Int32Array(N * S).fill(-1);
  for (let t = N - 1; t >= 0; t--) {
    for (let s = 0; s < S; s++) {
      const nf = m.feasible[s] as number;
      if (nf === 0) continue; // absorbing: V = 0
      let best = Number.NEGATIVE_INFINITY;
      let arg = 0;
      const row = (t * S + s) * A;
      for (let a = 0; a < nf; a++) {
        const q = actionValue(m, t, s, a, V, (t + 1) * S);
        Q[row + a] = q;
        if (q > best) {
          best = q;
          arg = a;
        }
      }
      // π* = lowest index in the tolerance set A*_t(s)
      const tol = tieTolerance(best);
      for (let a = 0; a < nf; a++)
        if ((Q[row + a] as number) >= best - tol) {
          arg = a;
          break;
        }
      V[t * S + s] = best;
      policy[t * S + s] = arg;
    }
  }
  return { V, Q, policy, value: startValue(m, V) };
}

/** Σ d0(s) V_0(s). */
export function startValue(m: ExecutionMdp, V: Float64Array): number {
  let v = 0;
  for (let i = 0; i < m.starts.length; i++)
    v += (m.startProb[i] as number) * (V[m.starts[i] as number] as number);
  return v;
}

/** Whether a is in the argmax set A*_t(s). */
export function isOptimal(m: ExecutionMdp, sol: DpSolution, t: number, s: number, a: number): boolean {
  if (a < 0 || a >= (m.feasible[s] as number)) return false;
  const v = sol.V[t * m.states + s] as number;
  return (sol.Q[(t * m.states + s) * m.actions + a] as number) >= v - tieTolerance(v);
}

/** The argmax set A*_t(s) as a list of action indices. */
export function argmaxSet(m: ExecutionMdp, sol: DpSolution, t: number, s: number): number[] {
  const out: number[] = [];
  for (let a = 0; a < (m.feasible[s] as number); a++) if (isOptimal(m, sol, t, s, a)) out.push(a);
  return out;
}

/** V^π_t(s) for a policy over env states (π at t·S + s; ignored on absorbing states). */
export function evaluatePolicy(m: ExecutionMdp, policy: Int32Array): Float64Array {
  const { horizon: N, states: S } = m;
  const V = new Float64Array((N + 1) * S);
  for (let t = N - 1; t >= 0; t--)
    for (let s = 0; s < S; s++) {
      if ((m.feasible[s] as number) === 0) continue;
      V[t * S + s] = actionValue(m, t, s, policy[t * S + s] as number, V, (t + 1) * S);
    }
  return V;
}

/** A policy over observation indices (t·S_obs + o) lifted to env states. */
export function liftPolicy(m: ExecutionMdp, obsPolicy: Int32Array): Int32Array {
  const { horizon: N, states: S, obsStates: O } = m;
  const out = new Int32Array(N * S);
  for (let t = 0; t < N; t++)
    for (let s = 0; s < S; s++) out[t * S + s] = obsPolicy[t * O + (m.obs[s] as number)] as number;
  return out;
}

/**
 * Occupancy d_t(s), t = 0…N, of a policy from d0 (absorbing states keep their mass), at t·S + s.
 * `visit(t, s, a, k, mass, next)` is called for every outcome flow, for derived statistics.
 */
export function occupancy(
  m: ExecutionMdp,
  policy: Int32Array,
  visit?: (t: number, s: number, a: number, mass: number, next: number, reward: number) => void,
): Float64Array {
  const { horizon: N, states: S, actions: A, outcomes: K } = m;
  const d = new Float64Array((N + 1) * S);
  for (let i = 0; i < m.starts.length; i++) {
    const s0 = m.starts[i] as number;
    d[s0] = (d[s0] as number) + (m.startProb[i] as number);
  }
  for (let t = 0; t < N; t++)
    for (let s = 0; s < S; s++) {
      const w = d[t * S + s] as number;
      if (w === 0) continue;
      if ((m.feasible[s] as number) === 0) {
        d[(t + 1) * S + s] = (d[(t + 1) * S + s] as number) + w;
        continue;
      }
      const a = policy[t * S + s] as number;
      let off = ((t * S + s) * A + a) * K * REC;
      let prev = 0;
      for (let k = 0; k < K; k++, off += REC) {
        const cum = m.trans[off] as number;
        const p = cum - prev;
        prev = cum;
        if (p > 0) {
          const next = m.transI32[2 * off + NEXT_I32] as number;
          d[(t + 1) * S + next] = (d[(t + 1) * S + next] as number) + w * p;
          visit?.(t, s, a, w * p, next, m.trans[off + 1] as number);
        }
        if (cum === 1) break;
      }
    }
  return d;
}

/** States reachable at each t under some policy (t = 0…N), at t·S + s. */
export function reachable(m: ExecutionMdp): Uint8Array {
  const { horizon: N, states: S, actions: A, outcomes: K } = m;
  const r = new Uint8Array((N + 1) * S);
  for (let i = 0; i < m.starts.length; i++) if ((m.startProb[i] as number) > 0) r[m.starts[i] as number] = 1;
  for (let t = 0; t < N; t++)
    for (let s = 0; s < S; s++) {
      if (!r[t * S + s]) continue;
      const nf = m.feasible[s] as number;
      if (nf === 0) {
        r[(t + 1) * S + s] = 1;
        continue;
      }
      for (let a = 0; a < nf; a++) {
        let off = ((t * S + s) * A + a) * K * REC;
        let prev = 0;
        for (let k = 0; k < K; k++, off += REC) {
          const cum = m.trans[off] as number;
          if (cum - prev > 0) r[(t + 1) * S + (m.transI32[2 * off + NEXT_I32] as number)] = 1;
          prev = cum;
          if (cum === 1) break;
        }
      }
    }
  return r;
}

/** Observation-level reachability (t·S_obs + o), for the learner's visited-share denominator. */
export function reachableObs(m: ExecutionMdp, reach = reachable(m)): Uint8Array {
  const { horizon: N, states: S, obsStates: O } = m;
  const r = new Uint8Array(N * O);
  for (let t = 0; t < N; t++)
    for (let s = 0; s < S; s++) if (reach[t * S + s]) r[t * O + (m.obs[s] as number)] = 1;
  return r;
}
