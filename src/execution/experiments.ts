/**
 * Experiments E1–E9 of the execution study (spec §5). Each is a function returning a result object:
 * a table, the spec's pass criteria evaluated (exact DP statements and k-of-n seed statements), the
 * headline numbers and the data of its figures. Q-learning runs go through an Executor (the worker
 * pool, or in-process); streams are keyed by (experiment id, run = budget index, seed index), so arms
 * compared at one budget share their seeds' streams.
 *
 * Sizes default to the spec's; `episodes` replaces the budget list and `seeds` the seed count. k-of-n
 * criteria scale to ⌈k·seeds/n⌉; a criterion stated at a budget that is not run is reported as
 * skipped (pass = null) and does not count.
 */
import { compileKernels } from '../kernels/wasm.js';
import { streamKey } from '../rng/streams.js';
import { mean, quantile } from '../stats.js';
import { type RunScore, scoreRun } from './analysis.js';
import { type EnvConfig, type LearnerConfig, parseEnvConfig, parseLearnerConfig } from './config.js';
import {
  argmaxSet,
  type DpSolution,
  evaluatePolicy,
  isOptimal,
  liftPolicy,
  occupancy,
  reachable,
  startValue,
} from './dp.js';
import { ActionKind, type ExecutionMdp } from './env.js';
import { solveHjbGrid } from './hjb.js';
import type { Engine } from './learner.js';
import { policyStats } from './metrics.js';
import { lqRegulator, lqRegulatorDiscrete } from './oracles.js';
import { E9_DEFAULTS, runRls } from './rls.js';
import {
  type Executor,
  inlineExecutor,
  type MonteCarlo,
  type QlTask,
  type QlTaskResult,
  type Solved,
  solved,
} from './tasks.js';

// ---------------------------------------------------------------- result types

export interface Check {
  readonly name: string;
  /** null: not evaluated at this size (the budget it refers to was not run). */
  readonly pass: boolean | null;
  readonly detail: string;
}

export interface Series {
  readonly name: string;
  readonly x: number[];
  readonly y: number[];
}

export type Figure =
  | {
      readonly kind: 'curve';
      readonly name: string;
      readonly title: string;
      readonly xLabel: string;
      readonly yLabel: string;
      readonly logX?: boolean;
      readonly series: Series[];
    }
  | { readonly kind: 'profile'; readonly name: string; readonly title: string; readonly series: Series[] }
  | {
      readonly kind: 'heatmap';
      readonly name: string;
      readonly title: string;
      /** One cell per (t, q): the action label and its lot size. */
      readonly cells: { t: number; q: number; size: number; label: string }[];
    };

export interface ExperimentResult {
  readonly id: ExperimentId | 'train';
  readonly title: string;
  readonly settings: Record<string, unknown>;
  readonly table: Record<string, number | string | boolean | null>[];
  readonly checks: Check[];
  /** Every evaluated check passed. */
  readonly pass: boolean;
  readonly headline: Record<string, number | string | boolean>;
  readonly figures: Figure[];
  /** Learned tables of the main arms (seed 0): Q, visit counts, greedy policy, for .npy files. */
  readonly arrays: NamedArray[];
  /** Training steps run (all seeds and arms). */
  readonly steps: number;
  /** Every Q-learning run (arm × seed), scored exactly: the rows of the runs and learning-curve tables. */
  readonly runs: readonly RunRecord[];
}

/** One Q-learning run: its resolved configuration, exact score and out-of-sample evaluation. */
export interface RunRecord {
  readonly run: number;
  readonly seed: number;
  readonly episodes: number;
  readonly env: EnvConfig;
  readonly learner: LearnerConfig;
  readonly score: RunScore;
  readonly mc: MonteCarlo | null;
}

export interface NamedArray {
  readonly name: string;
  readonly data: Float64Array | Int32Array;
  readonly shape: number[];
}

export interface ExperimentOptions {
  readonly exec?: Executor;
  readonly engine?: Engine;
  /** Replaces the experiment's budget list. */
  readonly episodes?: readonly number[];
  readonly seeds?: number;
  /** Monte Carlo episodes for the out-of-sample cost of the main arm at the last budget (spec: 10⁴). */
  readonly evalEpisodes?: number;
}

export const EXPERIMENTS = {
  e1: 'discount factor: higher γ liquidates faster; γ = 0 is myopic and keeps inventory',
  e2: 'action granularity: a coarse grid is biased but learns in far fewer episodes',
  e3: 'minimal vs enlarged state: irrelevant features slow learning (E3b: informative features)',
  e4: 'limit vs market orders: passive early, marketable near the deadline',
  e5: 'reward engineering: crossing penalty → fewer MOs; inventory penalty → earlier execution',
  e6: 'regret vs P&L reward: same policy without impact, front-loading with impact',
  e7: 'convergence to the DP optimum (deterministic, noisy/minimal, impact → TWAP)',
  e8: 'HJB surrogate: grid Bellman value vs the discrete and continuous LQ regulator',
  e9: 'persistent excitation: RLS under deadbeat control with and without dither',
} as const;

export type ExperimentId = keyof typeof EXPERIMENTS;

export const EXPERIMENT_IDS = Object.keys(EXPERIMENTS) as ExperimentId[];

// ---------------------------------------------------------------- shared machinery

interface Ctx {
  readonly id: ExperimentId | 'train';
  readonly exec: Executor;
  readonly engine: Engine;
  readonly seeds: number;
  /** The seed count the experiment's criteria were designed for. */
  readonly designSeeds: number;
  readonly evalEpisodes: number;
  steps: number;
  readonly arrays: NamedArray[];
  readonly runs: RunRecord[];
}

async function context(id: Ctx['id'], o: ExperimentOptions, defaultSeeds: number): Promise<Ctx> {
  const engine = o.engine ?? 'wasm';
  const exec = o.exec ?? inlineExecutor(engine === 'wasm' ? await compileKernels('release') : undefined);
  return {
    id,
    exec,
    engine,
    seeds: o.seeds ?? defaultSeeds,
    designSeeds: defaultSeeds,
    evalEpisodes: o.evalEpisodes ?? 10_000,
    steps: 0,
    arrays: [],
    runs: [],
  };
}

/** ⌈k·seeds/n⌉: a k-of-n criterion at another seed count. */
function need(k: number, n: number, seeds: number): number {
  return Math.ceil((k * seeds) / n - 1e-12);
}

function countCheck(name: string, hits: number, k: number, n: number, seeds: number, what = ''): Check {
  const req = need(k, n, seeds);
  return { name, pass: hits >= req, detail: `${hits}/${seeds} (need ${req}${what ? `; ${what}` : ''})` };
}

function check(name: string, pass: boolean, detail: string): Check {
  return { name, pass, detail };
}

function skipped(name: string, why: string): Check {
  return { name, pass: null, detail: `skipped: ${why}` };
}

const strictlyDecreasing = (xs: number[]) => xs.every((v, i) => i === 0 || v < (xs[i - 1] as number));
const nonIncreasing = (xs: number[], tol = 1e-9) =>
  xs.every((v, i) => i === 0 || v <= (xs[i - 1] as number) + tol);
const nonDecreasing = (xs: number[], tol = 1e-9) =>
  xs.every((v, i) => i === 0 || v >= (xs[i - 1] as number) - tol);
const fmt = (v: number, d = 4) => (Number.isFinite(v) ? Number(v.toFixed(d)) : v);

export interface Arm {
  readonly env: EnvConfig;
  readonly episodes: number;
  readonly run: number;
  readonly learner?: Record<string, unknown>;
  /** Monte Carlo evaluation and tables for this arm. */
  readonly evaluate?: boolean;
  readonly keepTables?: boolean;
}

export interface ArmResult {
  readonly solved: Solved;
  readonly scores: RunScore[];
  readonly results: QlTaskResult[];
}

/** Runs every arm × seed in one batch (the pool stays busy) and scores each run exactly. */
async function runArms(ctx: Ctx, arms: readonly Arm[]): Promise<ArmResult[]> {
  const tasks: QlTask[] = [];
  for (const arm of arms)
    for (let seed = 0; seed < ctx.seeds; seed++)
      tasks.push({
        experiment: `execution/${ctx.id}`,
        run: arm.run,
        seed,
        engine: ctx.engine,
        env: arm.env,
        learner: parseLearnerConfig({ episodes: arm.episodes, ...arm.learner }),
        evalEpisodes: arm.evaluate ? ctx.evalEpisodes : 0,
        keepTables: arm.keepTables === true && seed === 0,
      });
  const results: QlTaskResult[] = new Array(tasks.length);
  await ctx.exec.run(tasks, (i, r) => {
    if (r.status !== 0)
      throw new Error(
        `execution/${ctx.id}: run ${tasks[i]?.run}, seed ${tasks[i]?.seed}: non-finite value at episode ${r.status}`,
      );
    results[i] = r;
    ctx.steps += r.steps;
  });
  return arms.map((arm, a) => {
    const s = solved(arm.env);
    const rs = results.slice(a * ctx.seeds, (a + 1) * ctx.seeds);
    const scores = rs.map((r) => scoreRun(s, r));
    scores.forEach((score, seed) => {
      const task = tasks[a * ctx.seeds + seed] as QlTask;
      ctx.runs.push({
        run: arm.run,
        seed,
        episodes: arm.episodes,
        env: arm.env,
        learner: task.learner,
        score,
        mc: rs[seed]?.mc ?? null,
      });
    });
    return { solved: s, results: rs, scores };
  });
}

const meanOf = (scores: RunScore[], f: (s: RunScore) => number) => mean(scores.map(f));

/** Seed-mean learning curve: checkpoint episodes vs mean exact V^π̂(d0). */
function learningCurve(name: string, scores: RunScore[]): Series {
  const n = scores[0]?.checkpoints.length ?? 0;
  const x: number[] = [];
  const y: number[] = [];
  for (let c = 0; c < n; c++) {
    x.push(scores[0]?.checkpoints[c]?.episodes ?? 0);
    y.push(mean(scores.map((s) => s.checkpoints[c]?.value ?? Number.NaN)));
  }
  return { name, x, y };
}

function twapSeries(q0: number, N: number): Series {
  const t = Array.from({ length: N + 1 }, (_, i) => i);
  return { name: 'TWAP', x: t, y: t.map((i) => q0 * (1 - i / N)) };
}

function profileSeries(name: string, inventories: number[][]): Series {
  const N = (inventories[0]?.length ?? 1) - 1;
  const x = Array.from({ length: N + 1 }, (_, i) => i);
  return { name, x, y: x.map((t) => mean(inventories.map((q) => q[t] as number))) };
}

/**
 * The standard trio for an arm: learning curve vs V*, q(t) learned vs optimal vs TWAP, policy
 * heat-map; seed 0's learned tables go to ctx.arrays.
 */
function standardFigures(ctx: Ctx, tag: string, label: string, arm: ArmResult): Figure[] {
  const { mdp, sol } = arm.solved;
  const r0 = arm.results[0];
  if (r0) {
    const shape = [mdp.horizon, mdp.obsStates];
    ctx.arrays.push({ name: `${tag}-policy`, data: r0.policy, shape });
    if (r0.Q && r0.counts) {
      ctx.arrays.push({ name: `${tag}-q`, data: r0.Q, shape: [...shape, mdp.actions] });
      ctx.arrays.push({
        name: `${tag}-visits`,
        data: new Int32Array(r0.counts),
        shape: [...shape, mdp.actions],
      });
    }
  }
  const optimum = sol.value;
  const curve = learningCurve('Q-learning (seed mean, exact V^π̂)', arm.scores);
  const figs: Figure[] = [
    {
      kind: 'curve',
      name: `${tag}-learning-curve`,
      title: `${label}: learning curve vs the exact optimum`,
      xLabel: 'episodes',
      yLabel: 'V(d0)',
      series: [curve, { name: 'exact optimum V*', x: curve.x, y: curve.x.map(() => optimum) }],
    },
    {
      kind: 'profile',
      name: `${tag}-liquidation-profile`,
      title: `${label}: expected inventory q(t)`,
      series: [
        profileSeries(
          'learned π̂ (seed mean)',
          arm.scores.map((s) => s.stats.inventory),
        ),
        profileSeries('optimal π*', [policyStats(mdp, sol.policy).inventory]),
        twapSeries(mdp.q0, mdp.horizon),
      ],
    },
  ];
  const first = arm.results[0];
  if (first)
    figs.push(
      policyHeatmap(
        `${tag}-policy-heatmap`,
        `${label}: greedy policy π̂ (seed 0)`,
        mdp,
        sol,
        first.policy,
        first.counts,
      ),
    );
  return figs;
}

/**
 * π̂(t, q) on a (time, inventory) grid. For states with more than (q, τ), the cell shows the action at
 * the typical state with that q: the one π* visits most, or off π*'s path, the one the learner
 * visited most (`counts`, when given).
 */
export function policyHeatmap(
  name: string,
  title: string,
  mdp: ExecutionMdp,
  sol: DpSolution,
  obsPolicy: Int32Array,
  counts?: Uint32Array,
): Figure {
  const policy = liftPolicy(mdp, obsPolicy);
  const d = optimalOccupancyOf(mdp, sol);
  const reach = reachable(mdp);
  const cells: { t: number; q: number; size: number; label: string }[] = [];
  const { states: S, obsStates: O, actions: A } = mdp;
  const visits = (t: number, s: number) => {
    if (!counts) return 0;
    const row = (t * O + (mdp.obs[s] as number)) * A;
    let n = 0;
    for (let a = 0; a < A; a++) n += counts[row + a] as number;
    return n;
  };
  for (let t = 0; t < mdp.horizon; t++)
    for (let q = 1; q <= mdp.q0; q++) {
      let best = -1;
      let bestD = -1;
      let bestN = -1;
      for (let s = 0; s < S; s++) {
        if (mdp.inventory[s] !== q || (mdp.feasible[s] as number) === 0 || !reach[t * S + s]) continue;
        const dS = d[t * S + s] as number;
        const nS = visits(t, s);
        if (dS > bestD || (dS === bestD && nS > bestN)) {
          bestD = dS;
          bestN = nS;
          best = s;
        }
      }
      if (best < 0) continue;
      const a = policy[t * S + best] as number;
      const kind = mdp.actionKind[a] as number;
      cells.push({
        t,
        q,
        size: kind === ActionKind.Limit ? -(mdp.actionSize[a] as number) : (mdp.actionSize[a] as number),
        label: mdp.actionLabels[a] ?? String(a),
      });
    }
  return { kind: 'heatmap', name, title, cells };
}

const occCache = new WeakMap<DpSolution, Float64Array>();
function optimalOccupancyOf(mdp: ExecutionMdp, sol: DpSolution): Float64Array {
  let d = occCache.get(sol);
  if (!d) {
    d = occupancy(mdp, sol.policy);
    occCache.set(sol, d);
  }
  return d;
}

function result(
  ctx: Ctx,
  title: string,
  settings: Record<string, unknown>,
  table: ExperimentResult['table'],
  checks: Check[],
  headline: ExperimentResult['headline'],
  figures: Figure[],
): ExperimentResult {
  return {
    id: ctx.id,
    title,
    settings: { seeds: ctx.seeds, designSeeds: ctx.designSeeds, engine: ctx.engine, ...settings },
    table,
    checks,
    pass: checks.every((c) => c.pass !== false),
    headline,
    figures,
    arrays: ctx.arrays,
    steps: ctx.steps,
    runs: ctx.runs,
  };
}

const env = (raw: Record<string, unknown>) => parseEnvConfig(raw);

// ---------------------------------------------------------------- E1 discount factor

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

// ---------------------------------------------------------------- E2 action granularity

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
  const costCurve = (k: 0 | 1, name: string): Series => ({
    name,
    x: budgets,
    y: rows.map((r) => (k === 0 ? r.cost_fine_mean : r.cost_coarse_mean) as number),
  });
  const figures: Figure[] = [
    {
      kind: 'curve',
      name: 'e2-cost-vs-budget',
      title: 'E2: expected cost of π̂ (exact, seed mean) vs training budget',
      xLabel: 'episodes E',
      yLabel: 'cost −V^π̂(d0)',
      logX: true,
      series: [
        costCurve(0, 'fine {0…10}'),
        costCurve(1, 'coarse {0, 5, 10}'),
        { name: 'optimum fine', x: budgets, y: budgets.map(() => -vFine) },
        { name: 'optimum coarse', x: budgets, y: budgets.map(() => -vCoarse) },
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

// ---------------------------------------------------------------- E3 minimal vs enlarged state

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
      const sMin = (q * 3 + 1) * (sf.mdp.config as { buckets: number }).buckets;
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
  const curve = (k: 0 | 1): Series => ({
    name: k === 0 ? 'minimal (q, τ)' : 'full (q, τ, f1, f2)',
    x: budgets,
    y: rows.map((r) => (k === 0 ? r.gap_minimal_mean : r.gap_full_mean) as number),
  });
  const figures: Figure[] = [
    {
      kind: 'curve',
      name: 'e3-gap-vs-budget',
      title: 'E3: value gap V* − V^π̂ (seed mean) vs training budget',
      xLabel: 'episodes E',
      yLabel: 'gap',
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
  // best (q, τ)-measurable value: features are i.i.d. and independent of (q, τ), so it is the optimum of
  // the marginal chain, i.e. of `deterministic` (E[σ a ξ] = 0 by symmetry).
  const vMin = solved(env({ variant: 'deterministic' })).sol.value;
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
      check('E3b DP: V*_min (best (q, τ)-measurable) = −40', Math.abs(vMin + 40) < 1e-9, String(vMin)),
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

// ---------------------------------------------------------------- E4 limit vs market orders

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
  const last3 = (v: number[]) => {
    const tot = v.reduce((a, b) => a + b, 0);
    return tot > 0 ? v.slice(-3).reduce((a, b) => a + b, 0) / tot : 1;
  };
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

// ---------------------------------------------------------------- E5 reward engineering

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
        name: 'e5-cross-penalty',
        title: 'E5: optimal MO count and LO share vs the crossing penalty λ_cross',
        xLabel: 'λ_cross',
        yLabel: 'value',
        series: [
          { name: 'expected MO count', x: crosses, y: crossStats.map((s) => s.moCount) },
          { name: 'LO share', x: crosses, y: crossStats.map((s) => s.loShare) },
        ],
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

// ---------------------------------------------------------------- E6 regret vs P&L reward

/** The E6 configuration (spec §1.5). */
export function e6Env(kappa: number, reward: 'is' | 'regret'): EnvConfig {
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
export function regretChainAsIs(mdp: ExecutionMdp): ExecutionMdp {
  const trans = mdp.trans.slice();
  const { horizon: N, states: S, actions: A, outcomes: K } = mdp;
  const t = N - 1;
  for (let s = 0; s < S; s++) {
    const M = (mdp.describe(s) as { M: number }).M;
    for (let a = 0; a < A; a++)
      for (let k = 0; k < K; k++) {
        const off = (((t * S + s) * A + a) * K + k) * 3;
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
          const sIs = stateOfIs(si.mdp, q, j);
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

function stateOfIs(mdp: ExecutionMdp, q: number, j: number): number {
  const c = mdp.config as { kappa: number; q0: number; horizon: number; noise: { values: number[] } };
  const eMax = Math.max(...c.noise.values.map(Math.abs));
  const jMin = -c.kappa * c.q0 - c.horizon * eMax;
  const nJ = c.horizon * eMax - jMin + 1;
  return q * nJ + (j - jMin);
}

// ---------------------------------------------------------------- E7 convergence

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

// ---------------------------------------------------------------- E8 HJB surrogate

export const E8_GRID: readonly { dt: number; h: number; golden: number }[] = [
  { dt: 0.2, h: 0.02, golden: 0.773658 },
  { dt: 0.1, h: 0.01, golden: 0.715299 },
  { dt: 0.1, h: 0.002, golden: 0.713787 },
  { dt: 0.05, h: 0.0025, golden: 0.686204 },
  { dt: 0.05, h: 0.001, golden: 0.685906 },
  { dt: 0.02, h: 0.0004, golden: 0.66962 },
];

export async function e8(): Promise<ExperimentResult> {
  const rho = 0.2;
  const r = 0.5;
  const P = lqRegulator(rho, r).P;
  const checks: Check[] = [];
  const table = E8_GRID.map(({ dt, h, golden }) => {
    const g = solveHjbGrid({ rho, r, dt, h });
    const Pd = lqRegulatorDiscrete(rho, r, dt).P;
    const v = g.valueAt1;
    const uStar = -(Pd - dt) / r;
    const step = h / dt;
    const tag = `Δt = ${dt}, h = ${h}`;
    checks.push(
      check(`${tag}: V̂(1) = ${golden} to 1e-6`, Math.abs(v - golden) <= 1e-6, `${v.toFixed(8)}`),
      check(
        `${tag}: 0 < V̂ − P_Δ ≤ 0.25(h/Δt)²`,
        v - Pd > 0 && v - Pd <= 0.25 * step * step,
        `${(v - Pd).toExponential(3)} ≤ ${(0.25 * step * step).toExponential(3)}`,
      ),
      check(
        `${tag}: 0 < P_Δ − P ≤ 0.6Δt`,
        Pd - P > 0 && Pd - P <= 0.6 * dt,
        `${(Pd - P).toFixed(6)} ≤ ${0.6 * dt}`,
      ),
      check(
        `${tag}: grid control at x = 1 within h/Δt of −(P_Δ − Δt)/r`,
        Math.abs(g.controlAt1 - uStar) <= step + 1e-12,
        `${fmt(g.controlAt1)} vs ${fmt(uStar)}`,
      ),
    );
    return {
      dt,
      h,
      P_delta: fmt(Pd, 8),
      V_hat_1: fmt(v, 7),
      golden,
      V_minus_P_delta: fmt(v - Pd, 7),
      P_delta_minus_P: fmt(Pd - P, 7),
      grid_control: fmt(g.controlAt1),
      discrete_feedback: fmt(uStar),
      policy_iterations: g.iterations,
    };
  });
  const ctx: Ctx = {
    id: 'e8',
    exec: inlineExecutor(undefined),
    engine: 'js',
    seeds: 0,
    designSeeds: 0,
    evalEpisodes: 0,
    steps: 0,
    arrays: [],
    runs: [],
  };
  const dts = [0.2, 0.1, 0.05, 0.02, 0.01];
  return result(
    ctx,
    'E8 — HJB surrogate',
    { rho, r },
    table,
    checks,
    {
      P: fmt(P, 10),
      gain: fmt(P / r, 10),
      richardson: fmt(2 * lqRegulatorDiscrete(rho, r, 0.05).P - lqRegulatorDiscrete(rho, r, 0.1).P, 6),
    },
    [
      {
        kind: 'curve',
        name: 'e8-value-vs-dt',
        title: 'E8: value at x = 1 — continuous P, discrete P_Δ, grid V̂',
        xLabel: 'Δt',
        yLabel: 'value',
        series: [
          { name: 'continuous P', x: dts, y: dts.map(() => P) },
          { name: 'discrete P_Δ', x: dts, y: dts.map((dt) => lqRegulatorDiscrete(rho, r, dt).P) },
          {
            name: 'grid V̂(1) (finest h)',
            x: [0.2, 0.1, 0.05, 0.02],
            y: [0.2, 0.1, 0.05, 0.02].map((dt) => table.filter((t) => t.dt === dt).at(-1)?.V_hat_1 as number),
          },
        ],
      },
    ],
  );
}

// ---------------------------------------------------------------- E9 persistent excitation

export async function e9(o: ExperimentOptions = {}): Promise<ExperimentResult> {
  const seeds = o.seeds ?? 20;
  const Ts = [500, 2000, 8000];
  const arms = [0, 0.1].map((dither) =>
    Array.from({ length: seeds }, (_, s) =>
      runRls({ ...E9_DEFAULTS, dither }, streamKey('execution/e9', 0, s), Ts),
    ),
  );
  const stat = (
    d: number,
    c: number,
    f: (x: { error: number; lambdaMinPerT: number; meanSquare: number }) => number,
  ) =>
    (arms[d] as ReturnType<typeof runRls>[]).map((run) =>
      f(run[c] as { error: number; lambdaMinPerT: number; meanSquare: number }),
    );
  const table = [0, 0.1].flatMap((dither, d) =>
    Ts.map((T, c) => ({
      dither,
      T,
      median_error: fmt(
        quantile(
          stat(d, c, (x) => x.error),
          0.5,
        ),
        5,
      ),
      lambda_min_over_T_median: Number(
        quantile(
          stat(d, c, (x) => x.lambdaMinPerT),
          0.5,
        ).toExponential(3),
      ),
      lambda_min_over_T_max: Number(Math.max(...stat(d, c, (x) => x.lambdaMinPerT)).toExponential(3)),
      lambda_min_over_T_min: Number(Math.min(...stat(d, c, (x) => x.lambdaMinPerT)).toExponential(3)),
      mean_x2: fmt(mean(stat(d, c, (x) => x.meanSquare)), 5),
    })),
  );
  const row = (d: number, T: number) =>
    table.find((r) => r.dither === d && r.T === T) as (typeof table)[number];
  const x2 = (d: number) => row(d, 8000).mean_x2;
  const checks: Check[] = [
    check(
      'δ = 0: median ‖θ̂ − θ‖ > 1 at every T',
      Ts.every((T) => row(0, T).median_error > 1),
      Ts.map((T) => row(0, T).median_error).join(', '),
    ),
    check(
      'δ = 0: λ_min(Σφφᵀ)/T < 1e-5 (every seed, every T)',
      Ts.every((T) => row(0, T).lambda_min_over_T_max < 1e-5),
      Ts.map((T) => row(0, T).lambda_min_over_T_max).join(', '),
    ),
    check(
      'δ = 0.1: median error < 0.05 at T = 2000',
      row(0.1, 2000).median_error < 0.05,
      String(row(0.1, 2000).median_error),
    ),
    check(
      'δ = 0.1: median error < 0.02 at T = 8000',
      row(0.1, 8000).median_error < 0.02,
      String(row(0.1, 8000).median_error),
    ),
    check(
      'δ = 0.1: λ_min/T > 1e-3 (every seed, every T)',
      Ts.every((T) => row(0.1, T).lambda_min_over_T_min > 1e-3),
      Ts.map((T) => row(0.1, T).lambda_min_over_T_min).join(', '),
    ),
    check(
      'mean x² with dither ≥ 2× without',
      x2(0.1) >= 2 * x2(0),
      `${x2(0.1)} vs ${x2(0)} (theory 0.0061 vs 0.0025)`,
    ),
  ];
  const ctx: Ctx = {
    id: 'e9',
    exec: inlineExecutor(undefined),
    engine: 'js',
    seeds,
    designSeeds: 20,
    evalEpisodes: 0,
    steps: seeds * 2 * 8000,
    arrays: [],
    runs: [],
  };
  return result(
    ctx,
    'E9 — persistent excitation',
    { Ts, plant: E9_DEFAULTS },
    table,
    checks,
    {
      median_error_no_dither_8000: row(0, 8000).median_error,
      median_error_dither_8000: row(0.1, 8000).median_error,
      lambda_min_over_T_dither: row(0.1, 8000).lambda_min_over_T_median,
      mean_x2: `${x2(0.1)} vs ${x2(0)}`,
    },
    [
      {
        kind: 'curve',
        name: 'e9-error-vs-T',
        title: 'E9: median ‖θ̂ − θ‖ vs T, with and without dither',
        xLabel: 'T',
        yLabel: 'median error',
        logX: true,
        series: [0, 0.1].map((d) => ({ name: `δ = ${d}`, x: Ts, y: Ts.map((T) => row(d, T).median_error) })),
      },
    ],
  );
}

// ---------------------------------------------------------------- train: any configuration

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

export const RUNNERS: Record<ExperimentId, (o: ExperimentOptions) => Promise<ExperimentResult>> = {
  e1,
  e2,
  e3,
  e4,
  e5,
  e6,
  e7,
  e8: () => e8(),
  e9,
};
