/** E2 (spec §5): action granularity. A coarse grid is biased but learns in far fewer episodes. */

import { type Check, check, skipped } from '../../checks.js';
import type { RunScore } from '../analysis.js';
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
  result,
  runArms,
  type Series,
  seedSeries,
  standardFigures,
} from './harness.js';

const E2_BUDGETS = [100, 200, 300, 500, 1000, 2000, 3000, 5000, 10_000];

export async function e2(o: ExperimentOptions = {}): Promise<ExperimentResult> {
  const ctx = await context('e2', o, 20);
  const budgets = [...(o.episodes ?? E2_BUDGETS)];
  const fine = env({ variant: 'deterministic' });
  const coarse = env({ variant: 'deterministic', actions: [0, 5, 10] });
  const last = budgets.length - 1;
  const arms = await runArms(
    ctx,
    budgets.flatMap((E, run) => [
      { env: fine, episodes: E, run, evaluate: run === last, keepTables: run === last },
      { env: coarse, episodes: E, run },
    ]),
  );
  const vFine = solved(fine).sol.value;
  const vCoarse = solved(coarse).sol.value;
  const rows = budgets.map((E, b) => {
    const f = arms[2 * b] as ArmResult;
    const c = arms[2 * b + 1] as ArmResult;
    return {
      episodes: E,
      cost_fine_mean: fmt(-meanOf(f.scores, (s) => s.value)),
      cost_coarse_mean: fmt(-meanOf(c.scores, (s) => s.value)),
      coarse_cheaper: f.scores.filter((s, i) => -(c.scores[i] as RunScore).value < -s.value).length,
      fine_exact: f.scores.filter((s) => s.exact).length,
      coarse_exact: c.scores.filter((s) => s.exact).length,
    };
  });
  const at = (E: number) => budgets.indexOf(E);
  const crossover =
    rows.find((r) => (r.cost_fine_mean as number) <= (r.cost_coarse_mean as number))?.episodes ?? null;
  const i300 = at(300);
  const i1e4 = at(10_000);
  const checks: Check[] = [
    check(
      'DP: V*_coarse < V*_fine (coarse is biased)',
      vCoarse < vFine,
      `V*_coarse = ${vCoarse}, V*_fine = ${vFine}`,
    ),
    i300 >= 0
      ? countCheck(
          'QL (E = 300): coarse cost < fine cost',
          rows[i300]?.coarse_cheaper as number,
          16,
          20,
          ctx.seeds,
        )
      : skipped('QL (E = 300): coarse cost < fine cost', 'budget 300 not run'),
    i300 >= 0
      ? countCheck(
          'QL (E = 300): coarse reaches its own optimum',
          rows[i300]?.coarse_exact as number,
          18,
          20,
          ctx.seeds,
        )
      : skipped('QL (E = 300): coarse reaches its own optimum', 'budget 300 not run'),
    i1e4 >= 0
      ? countCheck(
          'QL (E = 10⁴): fine reaches its optimum',
          rows[i1e4]?.fine_exact as number,
          18,
          20,
          ctx.seeds,
        )
      : skipped('QL (E = 10⁴): fine reaches its optimum', 'budget 10⁴ not run'),
  ];
  const costCurve = (k: 0 | 1, name: string): Series =>
    seedSeries(name, budgets, (b) => (arms[2 * b + k] as ArmResult).scores.map((x) => -x.value));
  const figures: Figure[] = [
    {
      kind: 'curve',
      name: 'e2-cost-vs-budget',
      title: 'E2: expected cost of the learned policy vs training budget (mean over seeds, band 25–75 %)',
      xLabel: 'training episodes E',
      yLabel: 'expected cost (ticks × lots)',
      logX: true,
      series: [
        costCurve(0, 'learned, fine grid {0…10}'),
        costCurve(1, 'learned, coarse grid {0, 5, 10}'),
        { name: 'optimum, fine grid', x: budgets, y: budgets.map(() => -vFine) },
        { name: 'optimum, coarse grid', x: budgets, y: budgets.map(() => -vCoarse) },
      ],
    },
    ...standardFigures(ctx, 'e2-fine', `E2 fine grid (E = ${budgets[last]})`, arms[2 * last] as ArmResult),
  ];
  return result(
    ctx,
    'E2 — action granularity',
    { budgets },
    rows,
    checks,
    {
      optimum_fine: vFine,
      optimum_coarse: vCoarse,
      crossover_episodes: crossover ?? 'none',
      cost_at_300:
        i300 >= 0 ? `fine ${rows[i300]?.cost_fine_mean}, coarse ${rows[i300]?.cost_coarse_mean}` : 'n/a',
    },
    figures,
  );
}
