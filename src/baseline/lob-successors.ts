/** TS twin of the kernel's successor enumeration (assembly/lob/entry.ts lobSuccessors): every next state with its probability. */

import { C_CANCEL, C_COUNTS_MM, RATES_LEN } from '../lob/layout.js';
import { applyEvent, bookSettings, cancelBranch, rates } from './lob-book.js';

export interface Successor {
  readonly state: Int32Array;
  readonly prob: number;
  /** 2·e + ahead. */
  readonly code: number;
}

/** Every successor of the post-decision state with its probability (cancel split into ahead/behind). */
export function successors(
  cfg: Int32Array,
  tbl: Float64Array,
  st: Int32Array,
): { lam: number; branches: Successor[] } {
  const b = bookSettings(cfg);
  const K = b.K;
  const mode = cfg[C_CANCEL] as number;
  const r = new Float64Array(RATES_LEN);
  const total = rates(st, tbl, r, K, cfg[C_COUNTS_MM] !== 0);
  const branches: Successor[] = [];
  for (let e = 0; e < 4 * K + 2; e++) {
    const re = r[e] as number;
    if (!(re > 0)) continue;
    const p = re / total;
    for (let ahead = 0; ahead < 2; ahead++) {
      const q = cancelBranch(st, e, K, mode, p, ahead);
      if (!(q > 0)) continue;
      const next = st.slice();
      applyEvent(next, e, ahead === 1, b);
      branches.push({ state: next, prob: q, code: 2 * e + ahead });
    }
  }
  return { lam: total, branches };
}
