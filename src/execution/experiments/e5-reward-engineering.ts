/** E5 (spec §5): reward engineering. A crossing penalty cuts market orders; an inventory penalty executes earlier. */

import { type Check, check } from '../../checks.js';
import type { RunScore } from '../analysis.js';
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
  fmt,
  meanOf,
  nonDecreasing,
  nonIncreasing,
  result,
  runArms,
  standardFigures,
  strictlyDecreasing,
  twapSeries,
} from './harness.js';

export async function e5(o: ExperimentOptions = {}): Promise<ExperimentResult> {
  const ctx = await context('e5', o, 10);
  const E = o.episodes?.[0] ?? 100_000;
  const crosses = [0, 0.5, 1, 2, 4];
  const rems = [0, 0.01, 0.02, 0.05, 0.1, 0.2];
  const crossEnvs = crosses.map((c) => env({ variant: 'order-type', crossPenalty: c }));
  const remEnvs = rems.map((r) => env({ variant: 'order-type', inventoryPenalty: r }));
  const dp = (e: EnvConfig) => {
    const s = solved(e);
    return policyStats(s.mdp, s.sol.policy);
  };
  const crossStats = crossEnvs.map(dp);
  const remStats = remEnvs.map(dp);
  const moCounts = crossStats.map((s) => s.moCount);
  const arms = await runArms(ctx, [
    { env: crossEnvs[0] as EnvConfig, episodes: E, run: 0 },
    { env: crossEnvs[4] as EnvConfig, episodes: E, run: 0, evaluate: true, keepTables: true },
    { env: remEnvs[5] as EnvConfig, episodes: E, run: 0 },
  ]);
  const [base, cross4, rem02] = arms as [ArmResult, ArmResult, ArmResult];
  const fewerMo = cross4.scores.filter(
    (s, i) => s.stats.moCount < (base.scores[i] as RunScore).stats.moCount,
  ).length;
  const earlier = rem02.scores.filter(
    (s, i) => s.stats.meanStep < (base.scores[i] as RunScore).stats.meanStep,
  ).length;
  const checks: Check[] = [
    check(
      'DP: MO count non-increasing in λ_cross',
      nonIncreasing(moCounts),
      moCounts.map((v) => fmt(v)).join(' ≥ '),
    ),
    check(
      'DP: MO count ≥ 25% lower at λ_cross = 4 than at 0',
      (moCounts[4] as number) <= 0.75 * (moCounts[0] as number),
      `${fmt(moCounts[4] as number)} vs ${fmt(moCounts[0] as number)}`,
    ),
    check(
      'DP: LO share non-decreasing in λ_cross',
      nonDecreasing(crossStats.map((s) => s.loShare)),
      crossStats.map((s) => fmt(s.loShare)).join(' ≤ '),
    ),
    check(
      'DP: t̄ strictly decreasing in λ_rem',
      strictlyDecreasing(remStats.map((s) => s.meanStep)),
      remStats.map((s) => fmt(s.meanStep)).join(' > '),
    ),
    check(
      'DP: LO share strictly decreasing in λ_rem',
      strictlyDecreasing(remStats.map((s) => s.loShare)),
      remStats.map((s) => fmt(s.loShare)).join(' > '),
    ),
    countCheck(`QL (E = ${E}): MO count at λ_cross = 4 below that at 0`, fewerMo, 9, 10, ctx.seeds),
    countCheck(`QL (E = ${E}): t̄ at λ_rem = 0.2 below that at 0`, earlier, 10, 10, ctx.seeds),
  ];
  const table = [
    ...crosses.map((c, i) => ({
      sweep: 'lambda_cross',
      value: c,
      mo_count: fmt(crossStats[i]?.moCount as number),
      lo_share: fmt(crossStats[i]?.loShare as number),
      tbar: fmt(crossStats[i]?.meanStep as number),
      leftover: fmt(crossStats[i]?.leftover as number),
    })),
    ...rems.map((r, i) => ({
      sweep: 'lambda_rem',
      value: r,
      mo_count: fmt(remStats[i]?.moCount as number),
      lo_share: fmt(remStats[i]?.loShare as number),
      tbar: fmt(remStats[i]?.meanStep as number),
      leftover: fmt(remStats[i]?.leftover as number),
    })),
  ];
  return result(
    ctx,
    'E5 — reward engineering',
    { episodes: E, crosses, rems },
    table,
    checks,
    {
      mo_count_cross_0_vs_4: `${fmt(moCounts[0] as number)} → ${fmt(moCounts[4] as number)}`,
      leftover_cross_4: fmt(crossStats[4]?.leftover as number),
      tbar_rem_0_vs_0_2: `${fmt(remStats[0]?.meanStep as number)} → ${fmt(remStats[5]?.meanStep as number)}`,
      learned_mo_count_0_vs_4: `${fmt(meanOf(base.scores, (s) => s.stats.moCount))} → ${fmt(meanOf(cross4.scores, (s) => s.stats.moCount))}`,
    },
    [
      {
        kind: 'curve',
        name: 'e5-cross-penalty-mo-count',
        title: 'E5: expected number of market orders of π* vs the crossing penalty',
        xLabel: 'crossing penalty λ_cross (ticks)',
        yLabel: 'market orders per episode',
        series: [{ name: 'optimal policy π*', x: crosses, y: crossStats.map((s) => s.moCount) }],
      },
      {
        kind: 'curve',
        name: 'e5-cross-penalty-lo-share',
        title: 'E5: share of volume filled by limit orders under π* vs the crossing penalty',
        xLabel: 'crossing penalty λ_cross (ticks)',
        yLabel: 'limit-order share of volume',
        series: [{ name: 'optimal policy π*', x: crosses, y: crossStats.map((s) => s.loShare) }],
      },
      {
        kind: 'profile',
        name: 'e5-inventory-penalty-profiles',
        title: 'E5: optimal expected inventory q(t) by inventory penalty λ_rem',
        series: [
          ...remStats.map((s, i) => ({
            name: `λ_rem = ${rems[i]}`,
            x: s.inventory.map((_, t) => t),
            y: s.inventory,
          })),
          twapSeries(20, 10),
        ],
      },
      ...standardFigures(ctx, 'e5-cross-4', `E5 λ_cross = 4 (E = ${E})`, cross4),
    ],
  );
}
