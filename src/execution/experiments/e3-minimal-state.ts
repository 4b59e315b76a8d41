/** E3 (spec §5): minimal vs enlarged state. Irrelevant features slow learning; E3b adds informative ones. */

import { type Check, check } from '../../checks.js';
import type { RunScore } from '../analysis.js';
import { evaluatePolicy, isOptimal, liftPolicy, startValue, tieTolerance } from '../dp.js';
import { solved } from '../solved.js';
import {
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
  result,
  runArms,
  type Series,
  seedSeries,
  standardFigures,
} from './harness.js';

const E3_BUDGETS = [3000, 10_000, 30_000, 300_000];

export async function e3(o: ExperimentOptions & { informative?: boolean } = {}): Promise<ExperimentResult> {
  const ctx = await context('e3', o, 20);
  const budgets = [...(o.episodes ?? E3_BUDGETS)];
  const minimal = env({ variant: 'noisy-features', projection: 'minimal' });
  const full = env({ variant: 'noisy-features', projection: 'full' });
  const last = budgets.length - 1;
  const arms = await runArms(
    ctx,
    budgets.flatMap((E, run) => [
      { env: minimal, episodes: E, run, evaluate: run === last, keepTables: run === last },
      { env: full, episodes: E, run, evaluate: run === last },
    ]),
  );
  // DP: equal values; π*_full(t, q, f1, f2) ∈ A*_min(t, q)
  const sm = solved(minimal);
  const sf = solved(full);
  let inSet = true;
  for (let t = 0; t < sf.mdp.horizon && inSet; t++)
    for (let s = 0; s < sf.mdp.states; s++) {
      if ((sf.mdp.feasible[s] as number) === 0) continue;
      const q = sf.mdp.inventory[s] as number;
      // A*_min(t, q): the minimal problem has the same env states; take (q, f1 = 0, f2 = 0)
      const sMin = sm.mdp.stateOf({ q, f1: 0, f2: 0 });
      if (!isOptimal(sm.mdp, sm.sol, t, sMin, sf.sol.policy[t * sf.mdp.states + s] as number)) {
        inSet = false;
        break;
      }
    }
  const rows = budgets.map((E, b) => {
    const m = arms[2 * b] as ArmResult;
    const f = arms[2 * b + 1] as ArmResult;
    const gm = meanOf(m.scores, (s) => s.gap);
    const gf = meanOf(f.scores, (s) => s.gap);
    return {
      episodes: E,
      gap_minimal_mean: fmt(gm),
      gap_full_mean: fmt(gf),
      ratio: fmt(gm > 0 ? gf / gm : Number.POSITIVE_INFINITY, 2),
      full_worse: f.scores.filter((s, i) => s.gap > (m.scores[i] as RunScore).gap).length,
      exact_minimal: m.scores.filter((s) => s.exact).length,
      exact_full: f.scores.filter((s) => s.exact).length,
      visited_full: fmt(
        meanOf(f.scores, (s) => s.checkpoints.at(-1)?.visited ?? 0),
        3,
      ),
    };
  });
  const checks: Check[] = [
    check(
      'DP: V*_full = V*_minimal',
      Math.abs(sf.sol.value - sm.sol.value) <= 1e-9 * (1 + Math.abs(sm.sol.value)),
      `${sf.sol.value} vs ${sm.sol.value}`,
    ),
    check(
      'DP: π*_full(t, q, f1, f2) ∈ A*_min(t, q) for all features',
      inSet,
      inSet ? 'all states' : 'violated',
    ),
  ];
  for (const [b, E] of budgets.entries()) {
    const r = rows[b] as (typeof rows)[number];
    if (E >= 300_000) {
      checks.push(
        check(
          `QL (E = ${E}): both mean gaps ≤ 0.5`,
          (r.gap_minimal_mean as number) <= 0.5 && (r.gap_full_mean as number) <= 0.5,
          `minimal ${r.gap_minimal_mean}, full ${r.gap_full_mean}`,
        ),
      );
    } else {
      checks.push(countCheck(`QL (E = ${E}): full gap > minimal gap`, r.full_worse, 18, 20, ctx.seeds));
      checks.push(
        check(
          `QL (E = ${E}): mean full gap ≥ 5 × mean minimal gap`,
          (r.gap_full_mean as number) >= 5 * (r.gap_minimal_mean as number),
          `${r.gap_full_mean} vs 5 × ${r.gap_minimal_mean}`,
        ),
      );
    }
  }
  const headline: ExperimentResult['headline'] = {
    gap_ratio_full_over_minimal: rows.map((r) => `${r.episodes}: ${r.ratio}`).join(', '),
    gaps_at_last_budget: `minimal ${rows[last]?.gap_minimal_mean}, full ${rows[last]?.gap_full_mean}`,
  };
  const table: ExperimentResult['table'] = [...rows];
  if (o.informative !== false) {
    const b = await e3b(ctx, o);
    checks.push(...b.checks);
    table.push(...b.rows);
    Object.assign(headline, b.headline);
  }
  const curve = (k: 0 | 1): Series =>
    seedSeries(k === 0 ? 'minimal state (q, τ)' : 'full state (q, τ, f1, f2)', budgets, (b) =>
      (arms[2 * b + k] as ArmResult).scores.map((x) => x.gap),
    );
  const figures: Figure[] = [
    {
      kind: 'curve',
      name: 'e3-gap-vs-budget',
      title: 'E3: value gap of the learned policy vs training budget (mean over seeds, band 25–75 %)',
      xLabel: 'training episodes E',
      yLabel: 'value gap V* − V^π̂',
      logX: true,
      series: [curve(0), curve(1)],
    },
    ...standardFigures(
      ctx,
      'e3-minimal',
      `E3 minimal state (E = ${budgets[last]})`,
      arms[2 * last] as ArmResult,
    ),
  ];
  return result(ctx, 'E3 — minimal vs enlarged state', { budgets }, table, checks, headline, figures);
}

/** E3b: informative features (β = 2); the minimal learner vs the full learner, paired by seed. */
async function e3b(ctx: Ctx, o: ExperimentOptions) {
  const budgets = [10_000, 300_000];
  const seeds = o.seeds ? Math.max(1, Math.round(o.seeds / 2)) : 10;
  const sub: Ctx = { ...ctx, seeds, id: 'e3' };
  const minimal = env({ variant: 'noisy-features', projection: 'minimal', beta: 2 });
  const full = env({ variant: 'noisy-features', projection: 'full', beta: 2 });
  const arms = await runArms(
    sub,
    budgets.flatMap((E, b) => [
      { env: minimal, episodes: E, run: 10 + b },
      { env: full, episodes: E, run: 10 + b },
    ]),
  );
  ctx.steps += sub.steps;
  const sf = solved(full);
  // Best (q, τ)-measurable value: the features are i.i.d. and independent of (q, τ), so every such
  // policy earns in the informative env what it earns in `deterministic` (E[σ a ξ] = 0 by symmetry),
  // and the best is π*_deterministic. Evaluated exactly on the β = 2 chain, so the claim can fail.
  const sm = solved(minimal);
  const piDet = solved(env({ variant: 'deterministic' })).sol.policy; // over (t, q): the minimal obs index
  const vMin = startValue(sm.mdp, evaluatePolicy(sm.mdp, liftPolicy(sm.mdp, piDet)));
  const rows = budgets.map((E, b) => {
    const m = arms[2 * b] as ArmResult;
    const f = arms[2 * b + 1] as ArmResult;
    return {
      episodes: E,
      e3b_value_minimal_mean: fmt(meanOf(m.scores, (s) => s.value)),
      e3b_value_full_mean: fmt(meanOf(f.scores, (s) => s.value)),
      e3b_minimal_better: m.scores.filter((s, i) => s.value > (f.scores[i] as RunScore).value).length,
    };
  });
  const r0 = rows[0] as (typeof rows)[number];
  const r1 = rows[1] as (typeof rows)[number];
  return {
    rows,
    checks: [
      check(
        'E3b DP: V*_min (best (q, τ)-measurable) = −40',
        Math.abs(vMin + 40) <= tieTolerance(40),
        `V^π*_det on the β = 2 chain = ${vMin}`,
      ),
      check('E3b DP: V*_full > V*_min', sf.sol.value > vMin, `${fmt(sf.sol.value)} > ${vMin}`),
      countCheck('E3b QL (E = 10⁴): minimal learner better', r0.e3b_minimal_better, 9, 10, seeds),
      check(
        'E3b QL (E = 3·10⁵): full learner better on the mean',
        (r1.e3b_value_full_mean as number) > (r1.e3b_value_minimal_mean as number),
        `${r1.e3b_value_full_mean} > ${r1.e3b_value_minimal_mean}`,
      ),
    ],
    headline: {
      e3b_optimum_full: fmt(sf.sol.value),
      e3b_values_3e5: `minimal ${r1.e3b_value_minimal_mean}, full ${r1.e3b_value_full_mean}`,
    },
  };
}
