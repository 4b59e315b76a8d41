// The per-step algebra of the model-free actor–critic (spec §3), shared by the random-stream
// kernels and the fixed-noise entry point. The TS twin mirrors these lines in the same order.

/** Euler step: x + (A·x + B·u)·dt + (C·x + D·u)·ΔW. */
// @ts-ignore: decorator
@inline export function eulerNext(x: f64, u: f64, dW: f64, A: f64, B: f64, C: f64, D: f64, dt: f64): f64 {
  return x + (A * x + B * u) * dt + (C * x + D * u) * dW;
}

/**
 * One term of Γ: score (u − φ₁x)·x/φ₂ times the TD-like increment
 * J(x') − J(x) − ½·Q·x²·dt + ent, with the frozen critic J(x) = −½·k·x².
 */
// @ts-ignore: decorator
@inline export function gradTerm(
  x: f64, u: f64, xn: f64, phi1: f64, phi2: f64, ent: f64, Q: f64, dt: f64, halfK: f64,
): f64 {
  const dJ = -halfK * xn * xn - -halfK * x * x;
  return (((u - phi1 * x) * x) / phi2) * (dJ - 0.5 * Q * x * x * dt + ent);
}

/** Clamp to the inclusive projection interval [lo, hi]. */
// @ts-ignore: decorator
@inline export function project(v: f64, lo: f64, hi: f64): f64 {
  return min(max(v, lo), hi);
}
