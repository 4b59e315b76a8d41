/**
 * The grid surrogate of the discounted LQ regulator (spec §4.5, experiment E8): a deterministic finite
 * MDP on x ∈ hℤ ∩ [−2, 2] with controls u = j·h/Δt, |j| ≤ J = round(3Δt/h) (moves leaving [−2, 2]
 * are infeasible), cost (x² + r·u²)Δt and discount γ = e^{−ρΔt}.
 *
 * Solved by policy iteration with exact evaluation: a deterministic policy is a functional graph, so
 * V^π follows every chain to a known value or to a cycle (V on a cycle of length L is
 * Σ_k γ^k c_k/(1 − γ^L)). This reaches the exact fixed point in a handful of sweeps, where value
 * iteration to 10⁻¹²(1 − γ) needs up to ≈ 4000 sweeps on the finest grid.
 */

export interface HjbGridResult {
  readonly dt: number;
  readonly h: number;
  readonly gamma: number;
  /** Grid values x_i = −2 + i·h and V̂(x_i). */
  readonly x: Float64Array;
  readonly V: Float64Array;
  /** Optimal control index j(x_i) (u = j·h/Δt); the lowest |j| … lowest j among exact ties. */
  readonly policy: Int32Array;
  readonly iterations: number;
  /** V̂ and the grid control u at x = 1. */
  readonly valueAt1: number;
  readonly controlAt1: number;
}

export function solveHjbGrid(p: {
  rho: number;
  r: number;
  dt: number;
  h: number;
  xMax?: number;
}): HjbGridResult {
  const { rho, r, dt, h } = p;
  const xMax = p.xMax ?? 2;
  const M = Math.round((2 * xMax) / h);
  const n = M + 1;
  const J = Math.round((3 * dt) / h);
  const gamma = Math.exp(-rho * dt);
  const x = Float64Array.from({ length: n }, (_, i) => -xMax + i * h);
  const cost = (i: number, j: number) => {
    const xi = x[i] as number;
    const u = (j * h) / dt;
    return (xi * xi + r * u * u) * dt;
  };
  // Start from the rounded continuous-state feedback of the discrete-time problem.
  const gain = lqGainDiscrete(rho, r, dt);
  const policy = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = Math.round((-gain * (x[i] as number) * dt) / h);
    policy[i] = Math.max(-i, Math.min(M - i, Math.max(-J, Math.min(J, j))));
  }
  const V = new Float64Array(n);
  let iterations = 0;
  for (;;) {
    iterations++;
    evaluate(policy, V, cost, gamma);
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const cur = policy[i] as number;
      let best = cost(i, cur) + gamma * (V[i + cur] as number);
      let arg = cur;
      const lo = Math.max(-J, -i);
      const hi = Math.min(J, M - i);
      for (let j = lo; j <= hi; j++) {
        const q = cost(i, j) + gamma * (V[i + j] as number);
        // switch only on a strict improvement beyond rounding, so the iteration terminates
        if (q < best - 1e-15 * (1 + Math.abs(best))) {
          best = q;
          arg = j;
        }
      }
      if (arg !== cur) {
        policy[i] = arg;
        changed++;
      }
    }
    if (changed === 0 || iterations > 200) break;
  }
  const i1 = Math.round((1 + xMax) / h);
  return {
    dt,
    h,
    gamma,
    x,
    V,
    policy,
    iterations,
    valueAt1: V[i1] as number,
    controlAt1: ((policy[i1] as number) * h) / dt,
  };
}

/** (P_Δ − Δt)/r of the continuous-state discrete-time problem (for the initial policy). */
function lqGainDiscrete(rho: number, r: number, dt: number): number {
  const g = Math.exp(-rho * dt);
  const a = g * dt;
  const b = r - g * dt * dt - g * r;
  const P = (2 * -dt * r) / (-b - Math.sqrt(b * b + 4 * a * dt * r));
  return (P - dt) / r;
}

/** Exact V^π of a deterministic policy on the functional graph i → i + π(i). */
function evaluate(
  policy: Int32Array,
  V: Float64Array,
  cost: (i: number, j: number) => number,
  gamma: number,
): void {
  const n = policy.length;
  const state = new Uint8Array(n); // 0 new, 1 on the current path, 2 done
  const path: number[] = [];
  for (let start = 0; start < n; start++) {
    if (state[start] === 2) continue;
    path.length = 0;
    let i = start;
    while (state[i] === 0) {
      state[i] = 1;
      path.push(i);
      i += policy[i] as number;
    }
    let end = path.length; // nodes path[0 … end) still need values
    if (state[i] === 1) {
      // a cycle: path[c …] — V(path[c]) = Σ_k γ^k c_k / (1 − γ^L)
      const c = path.indexOf(i);
      let sum = 0;
      let disc = 1;
      for (let k = c; k < path.length; k++) {
        const node = path[k] as number;
        sum += disc * cost(node, policy[node] as number);
        disc *= gamma;
      }
      V[i] = sum / (1 - disc);
      state[i] = 2;
      for (let k = path.length - 1; k > c; k--) {
        const node = path[k] as number;
        V[node] = cost(node, policy[node] as number) + gamma * (V[node + (policy[node] as number)] as number);
        state[node] = 2;
      }
      end = c;
    }
    for (let k = end - 1; k >= 0; k--) {
      const node = path[k] as number;
      V[node] = cost(node, policy[node] as number) + gamma * (V[node + (policy[node] as number)] as number);
      state[node] = 2;
    }
  }
}
