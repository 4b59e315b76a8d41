// Parameter block of the LQ kernels: f64 slots, indices exported for the host (single source of truth).
export const LQ_A: i32 = 0;
export const LQ_B: i32 = 1;
export const LQ_C: i32 = 2;
export const LQ_D: i32 = 3;
export const LQ_Q: i32 = 4;
export const LQ_X0: i32 = 5;
export const LQ_DT: i32 = 6;
/** Projection interval of φ₁ (inclusive). */
export const LQ_PHI_LO: i32 = 7;
export const LQ_PHI_HI: i32 = 8;
/** Frozen critic J(x) = −½·k·x². */
export const LQ_CRITIC_K: i32 = 9;
export const LQ_PARAM_SLOTS: i32 = 10;

// Schedule block: one record of 4 f64 per iteration n = 1..N, computed once on the host.
export const LQ_SCHED_LR: i32 = 0; // aₙ
export const LQ_SCHED_SD: i32 = 1; // √φ₂,ₙ
export const LQ_SCHED_VAR: i32 = 2; // φ₂,ₙ
export const LQ_SCHED_ENT: i32 = 3; // γ·h(φ₂,ₙ)·dt
export const LQ_SCHED_STRIDE: i32 = 4;

// @ts-ignore: decorator
@inline export function param(prm: usize, slot: i32): f64 {
  return load<f64>(prm + (<usize>slot << 3));
}
