/** `train`: Q-learning on any environment and learner configuration, compared with the exact optimum. */

import { parseEnvConfig, parseLearnerConfig } from '../config.js';
import { policyStats } from '../metrics.js';
import {
  type ArmResult,
  context,
  type ExperimentOptions,
  type ExperimentResult,
  fmt,
  meanOf,
  result,
  runArms,
  standardFigures,
} from './harness.js';

/**
 * Q-learning on a user-given environment and learner config over `seeds` seeds (default 10) with the
 * budget `episodes[0]` (default the learner's, else 10⁴): the comparison report of spec §3 against
 * the exact optimum of the same MDP, and the standard figures. Invalid configs throw UsageError
 * naming the field (prefixed `--env.` / `--learner.`).
 */
export async function train(
  o: ExperimentOptions & { env?: unknown; learner?: Record<string, unknown> } = {},
): Promise<ExperimentResult> {
  const e = parseEnvConfig(o.env ?? { variant: 'impact' }, '--env');
  const learnerRaw = o.learner ?? {};
  const E = o.episodes?.[0] ?? (typeof learnerRaw.episodes === 'number' ? learnerRaw.episodes : 10_000);
  parseLearnerConfig({ ...learnerRaw, episodes: E }, '--learner');
  const ctx = await context('train', o, 10);
  const [arm] = (await runArms(ctx, [
    { env: e, episodes: E, run: 0, learner: learnerRaw, evaluate: true, keepTables: true },
  ])) as [ArmResult];
  const { mdp, sol } = arm.solved;
  const star = policyStats(mdp, sol.policy);
  const table = arm.scores.map((x, i) => ({
    seed: i,
    value: fmt(x.value),
    gap: fmt(x.gap),
    exact: x.exact,
    agreement: fmt(x.agreement),
    q_error: fmt(x.qError),
    tbar: fmt(x.stats.meanStep),
    liquidation_time: fmt(x.stats.liquidationTime),
    leftover: fmt(x.stats.leftover),
    p_leftover: fmt(x.stats.pLeftover),
    mc_cost_mean: fmt(arm.results[i]?.mc?.costMean ?? Number.NaN),
    mc_cost_sd: fmt(arm.results[i]?.mc?.costSd ?? Number.NaN),
    mc_cost_gap: fmt(arm.results[i]?.mc?.diffMean ?? Number.NaN),
    mc_cost_gap_ci95: fmt(
      (1.96 * (arm.results[i]?.mc?.diffSd ?? Number.NaN)) / Math.sqrt(arm.results[i]?.mc?.episodes ?? 1),
    ),
  }));
  return result(
    ctx,
    `train — Q-learning on ${e.variant}`,
    { episodes: E, env: e, learner: parseLearnerConfig({ ...learnerRaw, episodes: E }) },
    table,
    [],
    {
      optimum: fmt(sol.value),
      gap_mean: fmt(meanOf(arm.scores, (x) => x.gap)),
      exact_runs: `${arm.scores.filter((x) => x.exact).length}/${ctx.seeds}`,
      agreement_mean: fmt(meanOf(arm.scores, (x) => x.agreement)),
      tbar_opt: fmt(star.meanStep),
      tbar_learned_mean: fmt(meanOf(arm.scores, (x) => x.stats.meanStep)),
    },
    standardFigures(ctx, 'train', `${e.variant} (E = ${E})`, arm),
  );
}
