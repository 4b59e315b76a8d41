/** The tables and exact optimum of an environment config, memoised per thread (workers and main). */
import type { EnvConfig } from './config.js';
import { type DpSolution, reachableObs, solve } from './dp.js';
import { buildMdp, type ExecutionMdp } from './env.js';

/** Tables and optimum of a config, memoised (per worker, and in the main thread). */
export interface Solved {
  readonly mdp: ExecutionMdp;
  readonly sol: DpSolution;
  readonly vstar0: Float64Array;
  readonly reachObs: Uint8Array;
}

const cache = new Map<string, Solved>();

export function solved(env: EnvConfig): Solved {
  const id = JSON.stringify(env);
  let s = cache.get(id);
  if (!s) {
    const mdp = buildMdp(env);
    const sol = solve(mdp);
    s = {
      mdp,
      sol,
      vstar0: Float64Array.from(mdp.starts, (x) => sol.V[x] as number),
      reachObs: reachableObs(mdp),
    };
    if (cache.size > 16) cache.clear();
    cache.set(id, s);
  }
  return s;
}
