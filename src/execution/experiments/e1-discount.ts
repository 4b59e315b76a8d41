/** E1 (spec §5): the discount factor. Higher γ liquidates faster; γ = 0 is myopic and keeps inventory. */

import { type Check, check } from '../../checks.js';
import type { EnvConfig } from '../config.js';
import { policyStats } from '../metrics.js';
import { solved } from '../solved.js';
import {
  type ArmResult,
  context,
  countCheck,
  type ExperimentOptions,
  type ExperimentResult,
  env,
  type Figure,
  fmt,
  meanOf,
  nonIncreasing,
  result,
  runArms,
  standardFigures,
  strictlyDecreasing,
  twapSeries,
} from './harness.js';

export async function e1(o: ExperimentOptions = {}): Promise<ExperimentResult> {
  const ctx = await context('e1', o, 20);
  const E = o.episodes?.[0] ?? 10_000;
  const gammas = [0, 0.5, 0.8, 0.9, 1];
  const envs = gammas.map((gamma) => env({ variant: 'deterministic', inventoryPenalty: 0.1, gamma }));
  const stars = envs.map((e) => {
    const s = solved(e);
    return policyStats(s.mdp, s.sol.policy);
  });
  const arms = await runArms(
    ctx,
    envs.map((e, i) => ({
      env: e,
      episodes: E,
      run: 0,
      evaluate: i === gammas.length - 1,
      keepTables: i === 3,
    })),
  );
  const tbarStar = stars.map((s) => s.meanStep);
  const tliqStar = stars.map((s) => s.liquidationTime);
  const leftStar = stars.map((s) => s.leftover);
  const tbarHat = arms.map((a) => meanOf(a.scores, (s) => s.stats.meanStep));
  const within = arms.map(
    (a, i) => a.scores.filter((s) => Math.abs(s.stats.meanStep - (tbarStar[i] as number)) <= 0.05).length,
  );
  const s0 = solved(envs[0] as EnvConfig);
  const myopicFirstSale =
    (s0.mdp.actionSize[s0.sol.policy[s0.mdp.starts[0] as number] as number] as number) / s0.mdp.q0;
  const checks: Check[] = [
    check(
      'DP: t̄ strictly decreasing in γ',
      strictlyDecreasing(tbarStar),
      tbarStar.map((v) => fmt(v)).join(' > '),
    ),
    check(
      'DP: T_liq non-increasing, T_liq(1) < T_liq(0)',
      nonIncreasing(tliqStar) && (tliqStar.at(-1) as number) < (tliqStar[0] as number),
      tliqStar.map((v) => fmt(v)).join(', '),
    ),
    check(
      'DP: E[q_N] > 0 at γ = 0 and = 0 for γ ≥ 0.5',
      (leftStar[0] as number) > 0 && leftStar.slice(1).every((v) => v < 1e-12),
      leftStar.map((v) => fmt(v)).join(', '),
    ),
    ...gammas.map((g, i) =>
      countCheck(`QL (E = ${E}): |t̄(π̂) − t̄(π*)| ≤ 0.05 at γ = ${g}`, within[i] as number, 18, 20, ctx.seeds),
    ),
    check(
      'QL: seed-mean t̄ strictly decreasing in γ',
      strictlyDecreasing(tbarHat),
      tbarHat.map((v) => fmt(v)).join(' > '),
    ),
  ];
  const table = gammas.map((g, i) => ({
    gamma: g,
    tbar_opt: fmt(tbarStar[i] as number),
    tliq_opt: fmt(tliqStar[i] as number),
    leftover_opt: fmt(leftStar[i] as number),
    value_opt: fmt(arms[i]?.solved.sol.value as number),
    tbar_learned_mean: fmt(tbarHat[i] as number),
    tbar_within_0_05: within[i] as number,
    gap_mean: fmt(meanOf(arms[i]?.scores ?? [], (s) => s.gap)),
    exact_runs: arms[i]?.scores.filter((s) => s.exact).length ?? 0,
  }));
  const figures: Figure[] = [
    {
      kind: 'profile',
      name: 'e1-liquidation-profiles',
      title: 'E1: optimal expected inventory q(t) by discount factor γ',
      series: [
        ...stars.map((s, i) => ({
          name: `π*, γ = ${gammas[i]}`,
          x: s.inventory.map((_, t) => t),
          y: s.inventory,
        })),
        twapSeries(20, 10),
      ],
    },
    ...standardFigures(ctx, 'e1-gamma-0.9', 'E1 (γ = 0.9)', arms[3] as ArmResult),
  ];
  return result(
    ctx,
    'E1 — discount factor',
    { episodes: E, gammas, envs },
    table,
    checks,
    {
      tbar_opt: tbarStar.map((v) => fmt(v, 3)).join(' / '),
      tbar_learned: tbarHat.map((v) => fmt(v, 3)).join(' / '),
      leftover_gamma0: fmt(leftStar[0] as number),
      myopic_first_sale_share: fmt(myopicFirstSale),
      myopic_share_theory: fmt(0.1 / 1.1),
    },
    figures,
  );
}
