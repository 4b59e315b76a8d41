/**
 * Closed-form oracles of the optimal-execution study (spec §4): pure functions, no state.
 *
 * - {@link twap}, {@link bertsimasLoValue}, {@link impactTwapValue}: risk-neutral linear impact (§4.1).
 * - {@link riccatiRelaxation}: the continuous-action relaxation of `deterministic` (§4.2), also the
 *   discrete bridge to Cartea–Jaimungal (§4.4).
 * - {@link almgrenChriss}, {@link almgrenChrissTwap}, {@link almgrenChrissContinuous}: Almgren & Chriss
 *   (2000), discrete trajectory with E and V, and its two limits (§4.3).
 * - {@link carteaJaimungal}: liquidation with terminal and running penalties (§4.4).
 * - {@link lqRegulator}, {@link lqRegulatorDiscrete}: the value P of the discounted LQ regulator and its
 *   discrete-time surrogate P_Δ (§4.5). The grid surrogate V̂ is a solver: see hjb.ts.
 *
 * Symbols follow the spec; Almgren–Chriss's own parameters carry their paper's names inside
 * {@link AlmgrenChrissParams} (γ_AC = `gamma`, η_AC = `eta`, ε_AC = `epsilon`).
 */

// ---------------------------------------------------------------- §4.1 Bertsimas–Lo / TWAP

/** TWAP over N steps: sales N*_t = R_t/(N − t) in continuous sizes, and the inventory path q_0 … q_N. */
export function twap(q0: number, horizon: number): { sales: number[]; inventory: number[] } {
  const sales: number[] = [];
  const inventory: number[] = [q0];
  let r = q0;
  for (let t = 0; t < horizon; t++) {
    const n = r / (horizon - t);
    sales.push(n);
    r -= n;
    inventory.push(t === horizon - 1 ? 0 : r);
  }
  return { sales, inventory };
}

/**
 * Bertsimas & Lo (1998): the value V_t(P, R) = P·R − (2β + α(T − t − 1))·R²/(2(T − t)) of selling R
 * shares over the T − t remaining steps, with permanent impact α and temporary impact β per share.
 */
export function bertsimasLoValue(p: {
  price: number;
  remaining: number;
  stepsLeft: number;
  alpha: number;
  beta: number;
}): number {
  const { price, remaining: R, stepsLeft: tau, alpha, beta } = p;
  return price * R - ((2 * beta + alpha * (tau - 1)) * R * R) / (2 * tau);
}

/**
 * The exact integer-size optimum of `impact` with φ = 0 (spec §4.1): with m = ⌊q/τ⌋,
 * V*(t, q, j) = q·j − κq²/2 − η̃[τm² + (q mod τ)(2m + 1)], η̃ = η − κ/2. `valid` says whether full
 * liquidation is optimal there (η̃(2⌈q/τ⌉ − 1) ≤ λ_T − κ/2 and ⌈q/τ⌉ ≤ max G), which the formula needs.
 */
export function impactTwapValue(p: {
  q: number;
  j: number;
  stepsLeft: number;
  eta: number;
  kappa: number;
  terminalPenalty: number;
  maxAction: number;
}): { value: number; valid: boolean; sales: [number, number] } {
  const { q, j, stepsLeft: tau, eta, kappa } = p;
  const etaT = eta - kappa / 2;
  const m = Math.floor(q / tau);
  const rem = q % tau;
  const ceil = Math.ceil(q / tau);
  const value = q * j - (kappa * q * q) / 2 - etaT * (tau * m * m + rem * (2 * m + 1));
  const valid = etaT * (2 * ceil - 1) <= p.terminalPenalty - kappa / 2 && ceil <= p.maxAction;
  return { value, valid, sales: [m, ceil] };
}

// ---------------------------------------------------------------- §4.2 Riccati relaxation

export interface RiccatiParams {
  /** Temporary impact k (cost k·a²). */
  readonly k: number;
  /** Running inventory penalty φ (cost φ·L² after each step). */
  readonly phi: number;
  /** Terminal penalty λ_T on q_N². */
  readonly terminalPenalty: number;
  readonly gamma: number;
  readonly horizon: number;
  readonly q0: number;
}

/**
 * The continuous-action relaxation of `deterministic` (discrete Riccati recursion, spec §4.2):
 * c_{N−1} = k(φ+λ_T)/(k+φ+λ_T), c_t = k(φ+γc_{t+1})/(k+φ+γc_{t+1}); optimal post-trade inventory
 * L_t = k·q_t/(k+φ+γc_{t+1}) (L_{N−1} = k·q/(k+φ+λ_T)); minimum cost c_0·Q0² (a lower bound on the
 * integer optimum). `inventory` is q_0 … q_N along the optimal path (q_N = leftover).
 */
export function riccatiRelaxation(p: RiccatiParams): { c: number[]; inventory: number[]; cost: number } {
  const { k, phi, terminalPenalty: lt, gamma, horizon: n, q0 } = p;
  const c = new Array<number>(n + 1).fill(0);
  // denominators d_t = k + φ + γc_{t+1} (d_{N−1} = k + φ + λ_T)
  const d = new Array<number>(n).fill(0);
  d[n - 1] = k + phi + lt;
  c[n - 1] = (k * (phi + lt)) / (d[n - 1] as number);
  for (let t = n - 2; t >= 0; t--) {
    const g = gamma * (c[t + 1] as number);
    d[t] = k + phi + g;
    c[t] = (k * (phi + g)) / (d[t] as number);
  }
  const inventory = [q0];
  let q = q0;
  for (let t = 0; t < n; t++) {
    q = (k * q) / (d[t] as number);
    inventory.push(q);
  }
  return { c: c.slice(0, n), inventory, cost: (c[0] as number) * q0 * q0 };
}

// ---------------------------------------------------------------- §4.3 Almgren–Chriss

export interface AlmgrenChrissParams {
  /** Shares to sell X. */
  readonly X: number;
  /** Horizon T. */
  readonly T: number;
  /** Number of trading intervals N (τ_AC = T/N). */
  readonly N: number;
  readonly sigma: number;
  /** Fixed cost per share ε_AC. */
  readonly epsilon: number;
  /** Temporary impact η_AC. */
  readonly eta: number;
  /** Permanent impact γ_AC. */
  readonly gamma: number;
  /** Risk aversion λ (λ = 0: TWAP). */
  readonly lambda: number;
}

export interface AlmgrenChrissResult {
  readonly tau: number;
  readonly etaTilde: number;
  readonly kappaTilde: number;
  readonly kappa: number;
  /** Holdings x_0 … x_N. */
  readonly holdings: number[];
  /** Trade sizes n_1 … n_N (index 0 = n_1). */
  readonly trades: number[];
  /** Expected shortfall E and its variance V, closed forms. */
  readonly E: number;
  readonly V: number;
  /** E + λV. */
  readonly objective: number;
  /** E and V by direct sums over the trajectory (must equal the closed forms). */
  readonly EDirect: number;
  readonly VDirect: number;
}

/** acosh(1 + y) without the cancellation of x² − 1 for small y. */
function acosh1p(y: number): number {
  return Math.log1p(y + Math.sqrt(y * (2 + y)));
}

/**
 * Almgren & Chriss (2000), discrete optimal trajectory: τ = T/N, η̃ = η − γτ/2, κ̃² = λσ²/η̃,
 * κ = τ⁻¹ acosh(1 + κ̃²τ²/2); x_j = X sinh(κ(T − t_j))/sinh κT, n_j = 2 sinh(κτ/2) cosh(κ(T − t_{j−½}))
 * X/sinh κT, with E and V in closed form and by direct sums. λ = 0 returns the TWAP limit.
 */
export function almgrenChriss(p: AlmgrenChrissParams): AlmgrenChrissResult {
  const { X, T, N, sigma, epsilon, eta, gamma, lambda } = p;
  const tau = T / N;
  const etaTilde = eta - (gamma * tau) / 2;
  if (lambda === 0) return acDirect(p, tau, etaTilde, 0, 0, almgrenChrissTwap(p));
  const kappaTilde = Math.sqrt((lambda * sigma * sigma) / etaTilde);
  const kappa = acosh1p((kappaTilde * kappaTilde * tau * tau) / 2) / tau;
  const sKT = Math.sinh(kappa * T);
  const E =
    0.5 * gamma * X * X +
    epsilon * X +
    (etaTilde *
      X *
      X *
      Math.tanh((kappa * tau) / 2) *
      (tau * Math.sinh(2 * kappa * T) + 2 * T * Math.sinh(kappa * tau))) /
      (2 * tau * tau * sKT * sKT);
  const V =
    (0.5 * sigma * sigma * X * X * (tau * sKT * Math.cosh(kappa * (T - tau)) - T * Math.sinh(kappa * tau))) /
    (sKT * sKT * Math.sinh(kappa * tau));
  return acDirect(p, tau, etaTilde, kappaTilde, kappa, { E, V });
}

function acDirect(
  p: AlmgrenChrissParams,
  tau: number,
  etaTilde: number,
  kappaTilde: number,
  kappa: number,
  ev: { E: number; V: number },
): AlmgrenChrissResult {
  const { X, T, N, sigma, epsilon, gamma, lambda } = p;
  const holdings: number[] = [];
  const trades: number[] = [];
  if (kappa === 0) {
    for (let j = 0; j <= N; j++) holdings.push(X * (1 - j / N));
    for (let j = 1; j <= N; j++) trades.push(X / N);
  } else {
    const sKT = Math.sinh(kappa * T);
    for (let j = 0; j <= N; j++) holdings.push((X * Math.sinh(kappa * (T - j * tau))) / sKT);
    const front = 2 * Math.sinh((kappa * tau) / 2);
    for (let j = 1; j <= N; j++) trades.push((front * Math.cosh(kappa * (T - (j - 0.5) * tau)) * X) / sKT);
  }
  let absN = 0;
  let sqN = 0;
  for (const n of trades) {
    absN += Math.abs(n);
    sqN += n * n;
  }
  let sqX = 0;
  for (let k = 1; k <= N; k++) sqX += (holdings[k] as number) * (holdings[k] as number);
  const EDirect = 0.5 * gamma * X * X + epsilon * absN + (etaTilde / tau) * sqN;
  const VDirect = sigma * sigma * tau * sqX;
  return {
    tau,
    etaTilde,
    kappaTilde,
    kappa,
    holdings,
    trades,
    E: ev.E,
    V: ev.V,
    objective: ev.E + lambda * ev.V,
    EDirect,
    VDirect,
  };
}

/** The λ → 0 limit (TWAP): E = ½γX² + εX + η̃X²/T, V = ⅓σ²X²T(1 − 1/N)(1 − 1/(2N)). */
export function almgrenChrissTwap(p: AlmgrenChrissParams): { E: number; V: number; objective: number } {
  const { X, T, N, sigma, epsilon, eta, gamma, lambda } = p;
  const etaTilde = eta - (gamma * T) / N / 2;
  const E = 0.5 * gamma * X * X + epsilon * X + (etaTilde * X * X) / T;
  const V = (sigma * sigma * X * X * T * (1 - 1 / N) * (1 - 1 / (2 * N))) / 3;
  return { E, V, objective: E + lambda * V };
}

/**
 * The continuous-trading limit τ → 0: κ = √(λσ²/η), x(t) = X sinh(κ(T − t))/sinh κT,
 * v(t) = κX cosh(κ(T − t))/sinh κT, E = ½γX² + εX + ηκ²X²(T/2 + sinh(2κT)/(4κ))/sinh²κT,
 * V = σ²X²(sinh(2κT)/(4κ) − T/2)/sinh²κT.
 */
export function almgrenChrissContinuous(p: Omit<AlmgrenChrissParams, 'N'>): {
  kappa: number;
  E: number;
  V: number;
  objective: number;
  holdings: (t: number) => number;
  rate: (t: number) => number;
} {
  const { X, T, sigma, epsilon, eta, gamma, lambda } = p;
  const kappa = Math.sqrt((lambda * sigma * sigma) / eta);
  const s = Math.sinh(kappa * T);
  const s2 = Math.sinh(2 * kappa * T) / (4 * kappa);
  const E = 0.5 * gamma * X * X + epsilon * X + (eta * kappa * kappa * X * X * (T / 2 + s2)) / (s * s);
  const V = (sigma * sigma * X * X * (s2 - T / 2)) / (s * s);
  return {
    kappa,
    E,
    V,
    objective: E + lambda * V,
    holdings: (t) => (X * Math.sinh(kappa * (T - t))) / s,
    rate: (t) => (kappa * X * Math.cosh(kappa * (T - t))) / s,
  };
}

// ---------------------------------------------------------------- §4.4 Cartea–Jaimungal

export interface CarteaJaimungalParams {
  /** Temporary impact k (execution at S − kν). */
  readonly k: number;
  /** Permanent impact b (dS = −bν dt + σ dW). */
  readonly b: number;
  /** Terminal liquidation penalty α. */
  readonly alpha: number;
  /** Running inventory penalty φ. */
  readonly phi: number;
  readonly T: number;
  readonly q0: number;
}

/**
 * Cartea, Jaimungal & Penalva (2015, ch. 6): with g = √(φ/k), ζ = (α − b/2 + √(kφ))/(α − b/2 − √(kφ)),
 * Q*_t = q0(ζe^{g(T−t)} − e^{−g(T−t)})/(ζe^{gT} − e^{−gT}), ν*_t = g·q0(ζe^{g(T−t)} + e^{−g(T−t)})/(same),
 * ν* = p·Q/k with p(t) = √(kφ)(ζe^{g(T−t)} + e^{−g(T−t)})/(ζe^{g(T−t)} − e^{−g(T−t)}), and expected
 * shortfall plus penalties (b/2 + p(0))·q0². φ = 0 gives the linear limit; α = ∞ the sinh limit.
 */
export function carteaJaimungal(p: CarteaJaimungalParams): {
  g: number;
  zeta: number;
  inventory: (t: number) => number;
  speed: (t: number) => number;
  p: (t: number) => number;
  cost: number;
} {
  const { k, b, alpha, phi, T, q0 } = p;
  const a = alpha - b / 2;
  if (phi === 0) {
    // ν* = q0/(T + k/a), Q_t = q0 − ν*t, p = k/(T − t + k/a).
    const v = q0 / (T + k / a);
    const pf = (t: number) => k / (T - t + k / a);
    return {
      g: 0,
      zeta: Number.NaN,
      inventory: (t) => q0 - v * t,
      speed: () => v,
      p: pf,
      cost: (b / 2 + pf(0)) * q0 * q0,
    };
  }
  const g = Math.sqrt(phi / k);
  const root = Math.sqrt(k * phi);
  if (!Number.isFinite(alpha)) {
    const s = Math.sinh(g * T);
    const pf = (t: number) => (root * Math.cosh(g * (T - t))) / Math.sinh(g * (T - t));
    return {
      g,
      zeta: 1,
      inventory: (t) => (q0 * Math.sinh(g * (T - t))) / s,
      speed: (t) => (g * q0 * Math.cosh(g * (T - t))) / s,
      p: pf,
      cost: (b / 2 + pf(0)) * q0 * q0,
    };
  }
  const zeta = (a + root) / (a - root);
  const den = zeta * Math.exp(g * T) - Math.exp(-g * T);
  const pf = (t: number) => {
    const up = zeta * Math.exp(g * (T - t));
    const dn = Math.exp(-g * (T - t));
    return (root * (up + dn)) / (up - dn);
  };
  return {
    g,
    zeta,
    inventory: (t) => (q0 * (zeta * Math.exp(g * (T - t)) - Math.exp(-g * (T - t)))) / den,
    speed: (t) => (g * q0 * (zeta * Math.exp(g * (T - t)) + Math.exp(-g * (T - t)))) / den,
    p: pf,
    cost: (b / 2 + pf(0)) * q0 * q0,
  };
}

/**
 * The §4.2 recursion as a discretisation of Cartea–Jaimungal: k_d = k/Δt, φ_d = φΔt, λ_T = α − b/2,
 * Δt = T/N. c_0 → p(0) and the inventory path → Q* as N → ∞.
 */
export function carteaJaimungalDiscrete(
  p: CarteaJaimungalParams,
  N: number,
): { c0: number; inventory: number[] } {
  const dt = p.T / N;
  const r = riccatiRelaxation({
    k: p.k / dt,
    phi: p.phi * dt,
    terminalPenalty: p.alpha - p.b / 2,
    gamma: 1,
    horizon: N,
    q0: p.q0,
  });
  return { c0: r.c[0] as number, inventory: r.inventory };
}

// ---------------------------------------------------------------- §4.5 LQ regulator

/**
 * The discounted LQ regulator min ∫e^{−ρt}(x² + r·u²)dt, ẋ = u: V = P·x² with
 * P = (−ρr + √(ρ²r² + 4r))/2 and feedback u* = −(P/r)·x.
 */
export function lqRegulator(rho: number, r: number): { P: number; gain: number } {
  const P = (-rho * r + Math.sqrt(rho * rho * r * r + 4 * r)) / 2;
  return { P, gain: P / r };
}

/**
 * Its discrete-time surrogate with continuous x, u (γ = e^{−ρΔt}, cost (x² + r·u²)Δt):
 * P_Δ = Δt + γP_Δ·r/(r + γP_Δ·Δt), i.e. the positive root of γΔt·P² + (r − γΔt² − γr)·P − Δt·r = 0,
 * with feedback u = −((P_Δ − Δt)/r)·x.
 */
export function lqRegulatorDiscrete(
  rho: number,
  r: number,
  dt: number,
): { P: number; gain: number; gamma: number } {
  const gamma = Math.exp(-rho * dt);
  const a = gamma * dt;
  const b = r - gamma * dt * dt - gamma * r;
  const c = -dt * r;
  // Positive root in the cancellation-free form 2c/(−b − √(b² − 4ac)).
  const P = (2 * c) / (-b - Math.sqrt(b * b - 4 * a * c));
  return { P, gain: (P - dt) / r, gamma };
}
