/** The kernel input blocks of a model, shared by both engines: configuration, parameters and the initial state. */
import {
  BOUNDARY_REFILL,
  BOUNDARY_RESERVOIR,
  C_A_INF,
  C_ACTIONS,
  C_B_INF,
  C_BOUNDARY,
  C_CANCEL,
  C_COUNTS_MM,
  C_K,
  C_L2,
  C_LIQUIDATION,
  C_MAX_EVENTS,
  C_PEG,
  C_POLICY,
  CANCEL_AHEAD,
  CANCEL_BEHIND,
  CANCEL_UNIFORM,
  CONFIG_SLOTS,
  P_ETA,
  P_STICKY_RHO,
  P_T,
  PARAM_SLOTS,
  S_A,
  S_ASK_PRICE,
  S_ASK_RANK,
  S_B,
  S_BID_PRICE,
  S_BID_RANK,
  S_PA,
  S_PB,
  STATE_SLOTS,
} from './layout.js';
import type { LobModel } from './model.js';

/** Policy codes of the built-in policies. */
export type PolicyCode = number;

/** The i32 configuration block for a model and a built-in policy code. */
export function configBlock(m: LobModel, policy: PolicyCode = 0): Int32Array {
  const cfg = new Int32Array(CONFIG_SLOTS);
  cfg[C_K] = m.K;
  cfg[C_BOUNDARY] = m.boundary === 'refill' ? BOUNDARY_REFILL : BOUNDARY_RESERVOIR;
  cfg[C_A_INF] = m.aInf;
  cfg[C_B_INF] = m.bInf;
  cfg[C_CANCEL] = { uniform: CANCEL_UNIFORM, behind: CANCEL_BEHIND, ahead: CANCEL_AHEAD }[m.cancelRule];
  cfg[C_COUNTS_MM] = m.intensityCountsMM ? 1 : 0;
  cfg[C_ACTIONS] = { A1lim: 0, A2lim: 1, A2lim16: 2 }[m.actions];
  cfg[C_POLICY] = policy;
  cfg[C_LIQUIDATION] = m.liquidation === 'walk_plus_one_tick' ? 1 : 0;
  cfg[C_MAX_EVENTS] = m.maxEvents;
  cfg[C_L2] = m.l2 === 'one_tick' ? 1 : 0;
  cfg[C_PEG] = m.peg ? 1 : 0;
  return cfg;
}

/** The f64 parameter block. */
export function paramBlock(m: LobModel, stickyRho = 0.8): Float64Array {
  const prm = new Float64Array(PARAM_SLOTS);
  prm[P_T] = m.T;
  prm[P_STICKY_RHO] = stickyRho;
  prm[P_ETA] = m.eta;
  return prm;
}

/** The initial state z0 (time 0, x = y = 0) as a state block. */
export function initialState(m: LobModel): Int32Array {
  const st = new Int32Array(STATE_SLOTS);
  const init = m.initial;
  const s = init.spread;
  st[S_PB] = init.pb;
  st[S_PA] = init.pb + s;
  for (let i = 1; i <= m.K; i++) {
    st[S_A + i - 1] = init.a ? (init.a[i - 1] as number) : i >= s ? m.aInf : 0;
    st[S_B + i - 1] = init.b ? (init.b[i - 1] as number) : i >= s ? m.bInf : 0;
  }
  if (init.mmAskRank > 0) {
    st[S_ASK_PRICE] = init.pb + s;
    st[S_ASK_RANK] = init.mmAskRank;
  }
  if (init.mmBidRank > 0) {
    st[S_BID_PRICE] = init.pb;
    st[S_BID_RANK] = init.mmBidRank;
  }
  return st;
}
