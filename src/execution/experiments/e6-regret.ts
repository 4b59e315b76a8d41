/** E6 (spec §5): regret vs P&L reward. The same policy without impact, front-loading with impact. */

import { type Check, check } from '../../checks.js';
import { mean } from '../../stats.js';
import type { EnvConfig } from '../config.js';
import { argmaxSet, evaluatePolicy, liftPolicy, reachable, startValue } from '../dp.js';
import { type ExecutionMdp, recordOffset } from '../env.js';
import { solved } from '../solved.js';
import {
  type ArmResult,
  context,
  countCheck,
  type ExperimentOptions,
  type ExperimentResult,
  env,
  fmt,
  result,
  runArms,
  standardFigures,
} from './harness.js';

/** The E6 configuration (spec §1.5). */
function e6Env(kappa: number, reward: 'is' | 'regret'): EnvConfig {
  return env({
    variant: 'impact',
    q0: 10,
    horizon: 5,
    noise: { values: [-3, 0, 3], probs: [0.25, 0.5, 0.25] },
    terminalPenalty: 10,
    kappa,
    eta: 1 + kappa / 2,
    reward,
  });
}

/** The `regret` chain scored with the `is` reward: the last transition's −Q0·M charge paid back. */
function regretChainAsIs(mdp: ExecutionMdp): ExecutionMdp {
  const trans = mdp.trans.slice();
  const { horizon: N, states: S, actions: A, outcomes: K } = mdp;
  const t = N - 1;
  for (let s = 0; s < S; s++) {
    const M = (mdp.describe(s) as { M: number }).M;
    for (let a = 0; a < A; a++)
      for (let k = 0; k < K; k++) {
        const off = recordOffset(mdp, t, s, a, k);
        trans[off + 1] = (trans[off + 1] as number) + mdp.q0 * M;
      }
  }
  return { ...mdp, trans, transI32: new Int32Array(trans.buffer) };
}

/** E[max_{t<N} j_t] by enumerating the 3^{N−1} price paths without own impact (κ = 0). */
function expectedMaxPrice(values: readonly number[], probs: readonly number[], N: number): number {
  let sum = 0;
  const rec = (t: number, j: number, m: number, p: number) => {
    if (t === N - 1) {
      sum += p * m;
      return;
    }
    values.forEach((e, k) => {
      rec(t + 1, j + e, Math.max(m, j + e), p * (probs[k] as number));
    });
  };
  rec(0, 0, 0, 1);
  return sum;
}

export async function e6(o: ExperimentOptions = {}): Promise<ExperimentResult> {
  const ctx = await context('e6', o, 20);
  const E = o.episodes?.[0] ?? 300_000;
  const kappas = [0, 1];
  const arms = await runArms(
    ctx,
    kappas.flatMap((kappa, k) => [
      { env: e6Env(kappa, 'is'), episodes: E, run: k },
      { env: e6Env(kappa, 'regret'), episodes: E, run: k, evaluate: true, keepTables: kappa === 1 },
    ]),
  );
  const checks: Check[] = [];
  const table: ExperimentResult['table'] = [];
  const headline: ExperimentResult['headline'] = {};
  for (const [k, kappa] of kappas.entries()) {
    const si = solved(e6Env(kappa, 'is'));
    const sr = solved(e6Env(kappa, 'regret'));
    const asIs = regretChainAsIs(sr.mdp);
    const pnlOf = (policyObs: Int32Array) =>
      startValue(asIs, evaluatePolicy(asIs, liftPolicy(sr.mdp, policyObs)));
    const vIsStar = si.sol.value;
    const loss = vIsStar - startValue(asIs, evaluatePolicy(asIs, sr.sol.policy));
    const armIs = arms[2 * k] as ArmResult;
    const armReg = arms[2 * k + 1] as ArmResult;
    const pnlGapIs = armIs.scores.map((s) => s.gap);
    const pnlGapReg = armReg.results.map((r) => vIsStar - pnlOf(r.policy));
    const regretGap = armReg.scores.map((s) => s.gap);
    const s0r = sr.mdp.starts[0] as number;
    const s0i = si.mdp.starts[0] as number;
    const aReg = argmaxSet(sr.mdp, sr.sol, 0, s0r);
    const aIs = argmaxSet(si.mdp, si.sol, 0, s0i);
    if (kappa === 0) {
      // A*_regret(t, q, j, M) = A*_is(t, q, j) on reachable states with q ≥ 1
      const reach = reachable(sr.mdp);
      const g = sr.mdp.config as { q0: number };
      let same = true;
      let n = 0;
      for (let t = 0; t < sr.mdp.horizon && same; t++)
        for (let s = 0; s < sr.mdp.states; s++) {
          if (!reach[t * sr.mdp.states + s] || (sr.mdp.inventory[s] as number) < 1) continue;
          const { q, j } = sr.mdp.describe(s) as { q: number; j: number };
          const sIs = si.mdp.stateOf({ q, j });
          n++;
          if (argmaxSet(sr.mdp, sr.sol, t, s).join() !== argmaxSet(si.mdp, si.sol, t, sIs).join()) {
            same = false;
            break;
          }
        }
      const eMax = expectedMaxPrice([-3, 0, 3], [0.25, 0.5, 0.25], sr.mdp.horizon);
      const identity = vIsStar - g.q0 * eMax;
      checks.push(
        check('DP κ = 0: A*_regret = A*_is on reachable states with q ≥ 1', same, `${n} states compared`),
        check(
          'DP κ = 0: V*_regret(s0) = V*_is(s0) − Q0·E[max_t j_t]',
          Math.abs(sr.sol.value - identity) <= 1e-9 * (1 + Math.abs(identity)),
          `${fmt(sr.sol.value)} = ${fmt(vIsStar)} − ${g.q0}·${fmt(eMax)}`,
        ),
        check(
          'QL κ = 0: mean P&L gap ≤ 0.1 (is learner)',
          mean(pnlGapIs) <= 0.1,
          fmt(mean(pnlGapIs)).toString(),
        ),
        check(
          'QL κ = 0: mean P&L gap ≤ 0.1 (regret learner)',
          mean(pnlGapReg) <= 0.1,
          fmt(mean(pnlGapReg)).toString(),
        ),
      );
      headline.expected_max_price = fmt(eMax);
    } else {
      const disjoint = !aReg.some((a) => aIs.includes(a));
      checks.push(
        check(
          'DP κ = 1: A*_regret(0, s0) ∩ A*_is(0, s0) = ∅',
          disjoint,
          `regret {${aReg.join(', ')}}, is {${aIs.join(', ')}}`,
        ),
        check('DP κ = 1: P&L loss ℓ = V*_is − V^{π*_regret}_is > 0', loss > 0, `ℓ = ${fmt(loss)}`),
        countCheck(
          'QL κ = 1: P&L gap of π̂_regret > ℓ/2',
          pnlGapReg.filter((g) => g > loss / 2).length,
          16,
          20,
          ctx.seeds,
        ),
        check('QL κ = 1: mean regret gap ≤ 0.1', mean(regretGap) <= 0.1, fmt(mean(regretGap)).toString()),
      );
      headline.pnl_loss_of_regret_policy = fmt(loss);
    }
    table.push({
      kappa,
      eta: 1 + kappa / 2,
      v_is_opt: fmt(vIsStar),
      v_regret_opt: fmt(sr.sol.value),
      first_sale_is: aIs.map((a) => si.mdp.actionSize[a]).join('|'),
      first_sale_regret: aReg.map((a) => sr.mdp.actionSize[a]).join('|'),
      pnl_loss_opt: fmt(loss),
      pnl_gap_is_learner_mean: fmt(mean(pnlGapIs)),
      pnl_gap_regret_learner_mean: fmt(mean(pnlGapReg)),
      regret_gap_mean: fmt(mean(regretGap)),
    });
    headline[`first_sale_kappa${kappa}`] =
      `is ${aIs.map((a) => si.mdp.actionSize[a]).join('|')}, regret ${aReg.map((a) => sr.mdp.actionSize[a]).join('|')}`;
  }
  return result(ctx, 'E6 — regret vs P&L reward', { episodes: E, kappas }, table, checks, headline, [
    ...standardFigures(ctx, 'e6-regret-kappa1', `E6 regret, κ = 1 (E = ${E})`, arms[3] as ArmResult),
  ]);
}
