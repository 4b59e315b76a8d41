/** E7 (spec §5): convergence to the DP optimum (deterministic, noisy/minimal, impact → TWAP). */

import { type Check, check, skipped } from '../../checks.js';
import { mean } from '../../stats.js';
import {
  type Arm,
  type ArmResult,
  type Ctx,
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
} from './harness.js';

export async function e7(
  o: ExperimentOptions & { parts?: ('a' | 'b' | 'c')[]; cSeeds?: number } = {},
): Promise<ExperimentResult> {
  const ctx = await context('e7', o, 20);
  const parts = o.parts ?? ['a', 'b', 'c'];
  const checks: Check[] = [];
  const table: ExperimentResult['table'] = [];
  const headline: ExperimentResult['headline'] = {};
  const figures: Figure[] = [];
  const det = env({ variant: 'deterministic' });
  const noisy = env({ variant: 'noisy-features' });
  const impact = env({ variant: 'impact' });
  const aBudgets = o.episodes ?? [10_000, 30_000];
  const bBudgets = o.episodes ?? [1000, 10_000, 100_000];
  const cBudgets = o.episodes ?? [30_000, 100_000, 300_000, 1_000_000];
  const cSeeds = o.cSeeds ?? (o.seeds ? Math.min(o.seeds, 10) : 10);
  const arms: Arm[] = [];
  if (parts.includes('a'))
    for (const [run, E] of aBudgets.entries()) arms.push({ env: det, episodes: E, run });
  if (parts.includes('b'))
    for (const [b, E] of bBudgets.entries()) arms.push({ env: noisy, episodes: E, run: 10 + b });
  const res = await runArms(ctx, arms);
  let i = 0;
  const row = (part: string, E: number, a: ArmResult) => {
    const gaps = a.scores.map((s) => s.gap);
    const r = {
      part,
      episodes: E,
      optimum: fmt(a.solved.sol.value),
      gap_mean: fmt(mean(gaps)),
      gap_max: fmt(Math.max(...gaps)),
      exact: a.scores.filter((s) => s.exact).length,
      seeds: a.scores.length,
      agreement_mean: fmt(meanOf(a.scores, (s) => s.agreement)),
      q_error_mean: fmt(meanOf(a.scores, (s) => s.qError)),
    };
    table.push(r);
    return r;
  };
  if (parts.includes('a')) {
    const rows = aBudgets.map((E) => row('a', E, res[i++] as ArmResult));
    const at = (E: number) => rows.find((r) => r.episodes === E);
    const r1 = at(10_000);
    const r2 = at(30_000);
    checks.push(
      r1
        ? countCheck('(a) deterministic: gap 0 at E = 10⁴', r1.exact, 18, 20, ctx.seeds)
        : skipped('(a) gap 0 at 10⁴', 'budget not run'),
      r2
        ? countCheck('(a) deterministic: gap 0 at E = 3·10⁴', r2.exact, 20, 20, ctx.seeds)
        : skipped('(a) gap 0 at 3·10⁴', 'budget not run'),
    );
    headline.a_exact = rows.map((r) => `${r.episodes}: ${r.exact}/${r.seeds}`).join(', ');
  }
  if (parts.includes('b')) {
    const bArms = bBudgets.map(() => res[i++] as ArmResult);
    const rows = bBudgets.map((E, k) => row('b', E, bArms[k] as ArmResult));
    const gaps = rows.map((r) => r.gap_mean as number);
    const last = rows.at(-1);
    const one = gaps.length < 2;
    checks.push(
      one
        ? skipped('(b) noisy/minimal: mean gap non-increasing over E', 'one budget')
        : check(
            '(b) noisy/minimal: mean gap non-increasing over E',
            nonIncreasing(gaps, 0),
            gaps.join(' ≥ '),
          ),
      one
        ? skipped('(b) noisy/minimal: mean gap strictly lower at the largest E', 'one budget')
        : check(
            '(b) noisy/minimal: mean gap strictly lower at the largest E than at the smallest',
            (gaps.at(-1) as number) < (gaps[0] as number),
            `${gaps.at(-1)} < ${gaps[0]}`,
          ),
      last && last.episodes === 100_000
        ? countCheck('(b) noisy/minimal: gap 0 at E = 10⁵', last.exact, 18, 20, ctx.seeds)
        : skipped('(b) gap 0 at 10⁵', 'budget not run'),
    );
    headline.b_gap_mean = rows.map((r) => `${r.episodes}: ${r.gap_mean}`).join(', ');
    figures.push(
      ...standardFigures(
        ctx,
        'e7b',
        `E7(b) noisy-features/minimal (E = ${last?.episodes})`,
        bArms.at(-1) as ArmResult,
      ),
    );
  }
  if (parts.includes('c')) {
    const cctx: Ctx = { ...ctx, seeds: cSeeds, steps: 0 };
    const cArms = await runArms(
      cctx,
      cBudgets.map((E, b) => ({
        env: impact,
        episodes: E,
        run: 20 + b,
        learner: { alpha: { kind: 'poly', omega: 0.55 } },
        evaluate: b === cBudgets.length - 1,
        keepTables: b === cBudgets.length - 1,
      })),
    );
    ctx.steps += cctx.steps;
    const rows = cBudgets.map((E, k) => row('c', E, cArms[k] as ArmResult));
    const gaps = rows.map((r) => r.gap_mean as number);
    const lastArm = cArms.at(-1) as ArmResult;
    const vStar = lastArm.solved.sol.value;
    const N = lastArm.solved.mdp.horizon;
    const q0 = lastArm.solved.mdp.q0;
    const meanInv = Array.from({ length: N + 1 }, (_, t) =>
      mean(lastArm.scores.map((s) => s.stats.inventory[t] as number)),
    );
    const twapDev = Math.max(...meanInv.map((q, t) => Math.abs(q - (q0 - (q0 / N) * t))));
    const lastRow = rows.at(-1) as (typeof rows)[number];
    const atMillion = lastRow.episodes === 1_000_000;
    checks.push(
      gaps.length < 2
        ? skipped('(c) impact: mean gap strictly decreasing over E', 'one budget')
        : check(
            '(c) impact: mean gap strictly decreasing over E',
            strictlyDecreasing(gaps),
            gaps.join(' > '),
          ),
      atMillion
        ? check(
            '(c) impact at E = 10⁶: mean gap ≤ 0.5% of |V*|',
            (lastRow.gap_mean as number) <= 0.005 * Math.abs(vStar),
            `${lastRow.gap_mean} ≤ ${fmt(0.005 * Math.abs(vStar))}`,
          )
        : skipped('(c) mean gap ≤ 0.5% of |V*| at 10⁶', 'budget not run'),
      atMillion
        ? check(
            '(c) impact at E = 10⁶: max_t |E_π̂[q_t] − (Q0 − 2t)| ≤ 0.25 lots (TWAP)',
            twapDev <= 0.25,
            fmt(twapDev).toString(),
          )
        : skipped('(c) TWAP profile within 0.25 lots at 10⁶', 'budget not run'),
      atMillion
        ? check(
            '(c) impact at E = 10⁶: greedy agreement ≥ 0.9',
            (lastRow.agreement_mean as number) >= 0.9,
            String(lastRow.agreement_mean),
          )
        : skipped('(c) greedy agreement ≥ 0.9 at 10⁶', 'budget not run'),
      atMillion
        ? check(
            '(c) impact at E = 10⁶: |max Q̂_0(s0) − V*_0(s0)| ≤ 1 (seed mean)',
            (lastRow.q_error_mean as number) <= 1,
            String(lastRow.q_error_mean),
          )
        : skipped('(c) Q error ≤ 1 at 10⁶', 'budget not run'),
    );
    headline.c_gap_mean = rows.map((r) => `${r.episodes}: ${r.gap_mean}`).join(', ');
    headline.c_twap_max_deviation = fmt(twapDev);
    headline.c_agreement = lastRow.agreement_mean as number;
    const mc = lastArm.results[0]?.mc;
    if (mc)
      headline.c_out_of_sample_cost_gap_seed0 = `${fmt(mc.diffMean)} ± ${fmt((1.96 * mc.diffSd) / Math.sqrt(mc.episodes))}`;
    figures.push(
      ...standardFigures(ctx, 'e7c', `E7(c) impact, α = n^−0.55 (E = ${lastRow.episodes})`, lastArm),
    );
  }
  return result(
    ctx,
    'E7 — convergence to the DP optimum',
    { parts, aBudgets, bBudgets, cBudgets, cSeeds },
    table,
    checks,
    headline,
    figures,
  );
}
