/** E4 (spec §5): limit vs market orders. Passive early, marketable near the deadline. */

import { type Check, check } from '../../checks.js';
import { argmaxSet, type DpSolution } from '../dp.js';
import { ActionKind, type ExecutionMdp } from '../env.js';
import { lateShare, policyStats } from '../metrics.js';
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
  nonIncreasing,
  result,
  runArms,
  standardFigures,
} from './harness.js';

function moThreshold(mdp: ExecutionMdp, sol: DpSolution, t: number): number {
  for (let q = 1; q <= mdp.q0; q++)
    if (argmaxSet(mdp, sol, t, q).some((a) => mdp.actionKind[a] === ActionKind.Market)) return q;
  return Number.POSITIVE_INFINITY;
}

export async function e4(o: ExperimentOptions = {}): Promise<ExperimentResult> {
  const ctx = await context('e4', o, 10);
  const E = o.episodes?.[0] ?? 100_000;
  const e = env({ variant: 'order-type' });
  const s = solved(e);
  const { mdp, sol } = s;
  const N = mdp.horizon;
  const kindsAt = (t: number, q: number) => argmaxSet(mdp, sol, t, q).map((a) => mdp.actionKind[a]);
  let lo0 = true;
  let moLast = true;
  for (let q = 1; q <= mdp.q0; q++) {
    if (!kindsAt(0, q).every((k) => k === ActionKind.Limit)) lo0 = false;
    if (q >= 2 && !kindsAt(N - 1, q).every((k) => k === ActionKind.Market)) moLast = false;
  }
  const thresholds = Array.from({ length: N }, (_, t) => moThreshold(mdp, sol, t));
  const star = policyStats(mdp, sol.policy);
  const last3 = (v: number[]) => lateShare(v, 3);
  const [arm] = await runArms(ctx, [{ env: e, episodes: E, run: 0, evaluate: true, keepTables: true }]);
  const scores = (arm as ArmResult).scores;
  const results = (arm as ArmResult).results;
  const s0 = mdp.starts[0] as number;
  const loAtStart = results.filter((r) => mdp.actionKind[r.policy[s0] as number] === ActionKind.Limit).length;
  const loShareOk = scores.filter((x) => x.stats.loShare >= 0.6).length;
  const moLateOk = scores.filter((x) => last3(x.stats.moVolumeByStep) >= 0.5).length;
  const gapMean = meanOf(scores, (x) => x.gap);
  const checks: Check[] = [
    check('DP: every optimal action at t = 0 is an LO', lo0, lo0 ? 'all q ≥ 1' : 'violated'),
    check('DP: every optimal action at t = N−1, q ≥ 2 is an MO', moLast, moLast ? 'all q ≥ 2' : 'violated'),
    check(
      'DP: MO threshold q*(t) non-increasing in t',
      nonIncreasing(thresholds),
      thresholds.map(String).join(', '),
    ),
    check(
      'DP: ≥ 90% of expected MO volume in the last 3 steps',
      last3(star.moVolumeByStep) >= 0.9,
      fmt(last3(star.moVolumeByStep)).toString(),
    ),
    countCheck(`QL (E = ${E}): π̂(0, Q0) is an LO`, loAtStart, 9, 10, ctx.seeds),
    countCheck(`QL (E = ${E}): LO share ≥ 0.6`, loShareOk, 10, 10, ctx.seeds),
    countCheck(`QL (E = ${E}): ≥ 50% of MO volume in the last 3 steps`, moLateOk, 10, 10, ctx.seeds),
    check(`QL (E = ${E}): mean gap ≤ 2`, gapMean <= 2, fmt(gapMean).toString()),
  ];
  const table = [
    {
      policy: 'optimal π*',
      value: fmt(sol.value),
      lo_share: fmt(star.loShare),
      mo_count: fmt(star.moCount),
      mo_volume_last3: fmt(last3(star.moVolumeByStep)),
      tbar: fmt(star.meanStep),
      leftover: fmt(star.leftover),
    },
    ...scores.map((x, i) => ({
      policy: `π̂ seed ${i}`,
      value: fmt(x.value),
      lo_share: fmt(x.stats.loShare),
      mo_count: fmt(x.stats.moCount),
      mo_volume_last3: fmt(last3(x.stats.moVolumeByStep)),
      tbar: fmt(x.stats.meanStep),
      leftover: fmt(x.stats.leftover),
    })),
  ];
  return result(
    ctx,
    'E4 — limit vs market orders',
    { episodes: E },
    table,
    checks,
    {
      optimum: fmt(sol.value),
      lo_share_opt: fmt(star.loShare),
      lo_share_learned_mean: fmt(meanOf(scores, (x) => x.stats.loShare)),
      mo_thresholds: thresholds.map((v) => (Number.isFinite(v) ? v : '∞')).join(' '),
      gap_mean: fmt(gapMean),
    },
    standardFigures(ctx, 'e4', `E4 order-type (E = ${E})`, arm as ArmResult),
  );
}
