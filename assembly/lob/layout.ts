// Memory layout of the limit-order-book kernels (spec qknn-market-making §1–§2). Indices are exported
// so the host reads them from the instance; src/lob/layout.ts restates them for the JS twin and a test
// checks that both agree.

/** Largest supported frame depth K (levels per side). */
export const LOB_KMAX: i32 = 8;

// ---- state block: i32 slots ----
export const LOB_S_PB: i32 = 0; // best bid (total book)
export const LOB_S_PA: i32 = 1; // best ask (total book)
export const LOB_S_X: i32 = 2; // cash, ticks
export const LOB_S_Y: i32 = 3; // signed inventory, units
export const LOB_S_ASK_PRICE: i32 = 4; // MM sell order price (valid when rank > 0)
export const LOB_S_ASK_RANK: i32 = 5; // its rank, 1 = next to trade, 0 = no order
export const LOB_S_BID_PRICE: i32 = 6;
export const LOB_S_BID_RANK: i32 = 7;
export const LOB_S_A: i32 = 8; // others' ask units a[1..KMAX] at pb + i
export const LOB_S_B: i32 = 16; // others' bid units b[1..KMAX] at pa − j
export const LOB_S_HITS: i32 = 24; // boundary-rule triggers so far
// Second MM order per side (A2lim-16 only; at most one MM order per price and side).
export const LOB_S_ASK2_PRICE: i32 = 25;
export const LOB_S_ASK2_RANK: i32 = 26;
export const LOB_S_BID2_PRICE: i32 = 27;
export const LOB_S_BID2_RANK: i32 = 28;
export const LOB_STATE_SLOTS: i32 = 29;

// ---- configuration block: i32 slots ----
export const LOB_C_K: i32 = 0;
export const LOB_C_BOUNDARY: i32 = 1; // 0 reservoir, 1 refill
export const LOB_C_A_INF: i32 = 2;
export const LOB_C_B_INF: i32 = 3;
export const LOB_C_CANCEL: i32 = 4; // 0 uniform coin, 1 always behind the MM, 2 always ahead
export const LOB_C_COUNTS_MM: i32 = 5; // 1: queue sizes fed to L/C intensities include MM orders
export const LOB_C_ACTIONS: i32 = 6; // 0 A1lim (4 actions), 1 A2lim (9), 2 A2lim-16 (16)
export const LOB_C_POLICY: i32 = 7; // LOB_POLICY_*
export const LOB_C_LIQUIDATION: i32 = 8; // 0 walk, 1 walk_plus_one_tick
export const LOB_C_MAX_EVENTS: i32 = 9; // N: stop (and close out) at the N-th event
// A2lim's L2: 0 the others' next non-empty level, 1 one tick behind their best.
export const LOB_C_L2: i32 = 10;
// 1: the authors' pegging (an improved-upon L1 order moves to the new best at rank 2, §1.4 option).
export const LOB_C_PEG: i32 = 11;
export const LOB_CONFIG_SLOTS: i32 = 12;

export const LOB_BOUNDARY_RESERVOIR: i32 = 0;
export const LOB_BOUNDARY_REFILL: i32 = 1;
export const LOB_CANCEL_UNIFORM: i32 = 0;
export const LOB_CANCEL_BEHIND: i32 = 1;
export const LOB_CANCEL_AHEAD: i32 = 2;

export const LOB_POLICY_00: i32 = 0;
export const LOB_POLICY_11: i32 = 1;
export const LOB_POLICY_RANDOM: i32 = 2;
export const LOB_POLICY_STICKY: i32 = 3;
export const LOB_POLICY_SKEW: i32 = 4;

// ---- parameter block: f64 slots ----
export const LOB_P_T: i32 = 0; // horizon
export const LOB_P_STICKY_RHO: i32 = 1; // sticky-random: keep the previous action w.p. ρ
export const LOB_P_ETA: i32 = 2; // terminal penalty η·y²
export const LOB_PARAM_SLOTS: i32 = 3;

// ---- intensity tables (f64), computed once on the host ----
// A curve is LOB_QN values f(q), q = 0..QN−1, then a slope: f(q) = f(QN−1) + slope·(q − QN + 1)
// beyond. L and C curves: index ((side·KMAX + level−1)·2 + variant)·2 + {0: insertion, 1: cancellation},
// side 0 = ask, 1 = bid; variant 1 when that side's level-1 queue is empty (R-ahp), else 0. C is the
// whole-queue cancellation rate. M curves: LOB_M_CURVES + side·KMAX + s−1, the market rate when the
// spread is s, as a function of the total best queue. Then one market rate per side for the reservoir state.
export const LOB_QN: i32 = 64;
export const LOB_CURVE_LEN: i32 = 65;
export const LOB_M_CURVES: i32 = 64;
export const LOB_RESERVOIR_M: i32 = 80 * 65;
export const LOB_TABLE_F64: i32 = 80 * 65 + 2;

// ---- episode output record: f64 slots ----
export const LOB_O_PNL: i32 = 0; // x_T + L(y_T)
export const LOB_O_REWARD: i32 = 1; // g = P&L − η·y_T²
export const LOB_O_Y: i32 = 2; // y_T
export const LOB_O_EVENTS: i32 = 3;
export const LOB_O_FILLS_ASK: i32 = 4; // MM sell fills
export const LOB_O_FILLS_BID: i32 = 5; // MM buy fills
export const LOB_O_QUOTE_ASK: i32 = 6; // time with an MM sell order resting
export const LOB_O_QUOTE_BID: i32 = 7;
export const LOB_O_HITS: i32 = 8; // boundary-rule triggers
export const LOB_O_CAPPED: i32 = 9; // 1 if the episode stopped at the N-th event
export const LOB_O_RESERVOIR_TIME: i32 = 10; // time spent with spread K+1 (both frames empty)
export const LOB_OUT_STRIDE: i32 = 11;

/** Rates scratch: 4K+2 event rates, then the four block sums (L+, L−, C+, C−), for K ≤ KMAX. */
export const LOB_RATES_LEN: i32 = 4 * 8 + 6;

/** Largest number of successors of one state (4·KMAX + 2 events + one extra branch per MM order). */
export const LOB_MAX_BRANCHES: i32 = 4 * 8 + 4;
