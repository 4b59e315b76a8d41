/**
 * Memory layout of the order-book kernels, restated from assembly/lob/layout.ts for the JS twin and the
 * table builder (test/lob/layout-matches-kernel.test.ts checks every constant against the module).
 */

export const KMAX = 8;

// state block (i32)
export const S_PB = 0;
export const S_PA = 1;
export const S_X = 2;
export const S_Y = 3;
export const S_ASK_PRICE = 4;
export const S_ASK_RANK = 5;
export const S_BID_PRICE = 6;
export const S_BID_RANK = 7;
export const S_A = 8;
export const S_B = 16;
export const S_HITS = 24;
export const S_ASK2_PRICE = 25;
export const S_ASK2_RANK = 26;
export const S_BID2_PRICE = 27;
export const S_BID2_RANK = 28;
export const STATE_SLOTS = 29;

// configuration block (i32)
export const C_K = 0;
export const C_BOUNDARY = 1;
export const C_A_INF = 2;
export const C_B_INF = 3;
export const C_CANCEL = 4;
export const C_COUNTS_MM = 5;
export const C_ACTIONS = 6;
export const C_POLICY = 7;
export const C_LIQUIDATION = 8;
export const C_MAX_EVENTS = 9;
export const C_L2 = 10;
export const C_PEG = 11;
export const CONFIG_SLOTS = 12;

export const BOUNDARY_RESERVOIR = 0;
export const BOUNDARY_REFILL = 1;
export const CANCEL_UNIFORM = 0;
export const CANCEL_BEHIND = 1;
export const CANCEL_AHEAD = 2;

export const POLICY_00 = 0;
export const POLICY_11 = 1;
export const POLICY_RANDOM = 2;
export const POLICY_STICKY = 3;
export const POLICY_SKEW = 4;

// parameter block (f64)
export const P_T = 0;
export const P_STICKY_RHO = 1;
export const P_ETA = 2;
export const PARAM_SLOTS = 3;

// intensity tables (f64)
export const QN = 64;
export const CURVE_LEN = 65;
export const M_CURVES = 64;
export const RESERVOIR_M = 80 * 65;
export const TABLE_F64 = 80 * 65 + 2;

// episode record (f64)
export const O_PNL = 0;
export const O_REWARD = 1;
export const O_Y = 2;
export const O_EVENTS = 3;
export const O_FILLS_ASK = 4;
export const O_FILLS_BID = 5;
export const O_QUOTE_ASK = 6;
export const O_QUOTE_BID = 7;
export const O_HITS = 8;
export const O_CAPPED = 9;
export const O_RESERVOIR_TIME = 10;
export const OUT_STRIDE = 11;

export const RATES_LEN = 4 * 8 + 6;
export const MAX_BRANCHES = 4 * 8 + 4;

/** Every constant above by its kernel export name (LOB_ + name). */
export const LAYOUT: Readonly<Record<string, number>> = {
  KMAX,
  S_PB,
  S_PA,
  S_X,
  S_Y,
  S_ASK_PRICE,
  S_ASK_RANK,
  S_BID_PRICE,
  S_BID_RANK,
  S_A,
  S_B,
  S_HITS,
  S_ASK2_PRICE,
  S_ASK2_RANK,
  S_BID2_PRICE,
  S_BID2_RANK,
  STATE_SLOTS,
  C_K,
  C_BOUNDARY,
  C_A_INF,
  C_B_INF,
  C_CANCEL,
  C_COUNTS_MM,
  C_ACTIONS,
  C_POLICY,
  C_LIQUIDATION,
  C_MAX_EVENTS,
  C_L2,
  C_PEG,
  CONFIG_SLOTS,
  BOUNDARY_RESERVOIR,
  BOUNDARY_REFILL,
  CANCEL_UNIFORM,
  CANCEL_BEHIND,
  CANCEL_AHEAD,
  POLICY_00,
  POLICY_11,
  POLICY_RANDOM,
  POLICY_STICKY,
  POLICY_SKEW,
  P_T,
  P_STICKY_RHO,
  P_ETA,
  PARAM_SLOTS,
  QN,
  CURVE_LEN,
  M_CURVES,
  RESERVOIR_M,
  TABLE_F64,
  O_PNL,
  O_REWARD,
  O_Y,
  O_EVENTS,
  O_FILLS_ASK,
  O_FILLS_BID,
  O_QUOTE_ASK,
  O_QUOTE_BID,
  O_HITS,
  O_CAPPED,
  O_RESERVOIR_TIME,
  OUT_STRIDE,
  MAX_BRANCHES,
};

/** Index of the L curve (insertion; +1 for cancellation) of a side (0 ask, 1 bid), level 1..K, variant. */
export function lcCurve(side: number, level: number, variant: number): number {
  return ((side * KMAX + level - 1) * 2 + variant) * 2;
}

/** Index of the market curve of a side when the spread is s. */
export function mCurve(side: number, s: number): number {
  return M_CURVES + side * KMAX + s - 1;
}

/** Event indices: 0 M+, 1 M−, then L+_i, L−_j, C+_i, C−_j for levels 1..K. */
export const eventIndex = {
  marketBuy: 0,
  marketSell: 1,
  limitAsk: (_K: number, i: number) => 1 + i,
  limitBid: (K: number, j: number) => 1 + K + j,
  cancelAsk: (K: number, i: number) => 1 + 2 * K + i,
  cancelBid: (K: number, j: number) => 1 + 3 * K + j,
} as const;
