/**
 * The shared harness of experiments E1–E9 and `train` (spec §5): result types, the run context
 * (executor, engine, seeds), batched runs of arms × seeds scored exactly, k-of-n criteria scaled to
 * the seed count, the standard figures and the result object.
 *
 * Sizes default to the spec's; `episodes` replaces the budget list and `seeds` the seed count. k-of-n
 * criteria scale to ⌈k·seeds/n⌉; a criterion stated at a budget that is not run is reported as
 * skipped and does not count (src/checks.ts).
 */
import { type Check, type Verdict, verdict } from '../../checks.js';
import type { ScalarEngine } from '../../kernels/engine.js';
import { compileKernels } from '../../kernels/wasm.js';
import { mean, quantile } from '../../stats.js';
import { optimalOccupancy, type RunScore, scoreRun } from '../analysis.js';
import { type EnvConfig, type LearnerConfig, parseEnvConfig, parseLearnerConfig } from '../config.js';
import { liftPolicy, reachable } from '../dp.js';
import { ActionKind } from '../env.js';
import { type Executor, inlineExecutor } from '../executor.js';
import { policyStats } from '../metrics.js';
import { type Solved, solved } from '../solved.js';
import type { MonteCarlo, QlTask, QlTaskResult } from '../tasks.js';

export interface Series {
  readonly name: string;
  readonly x: number[];
  readonly y: number[];
  /** A band around y (25th and 75th percentiles over seeds) when y is an average over seeds. */
  readonly lo?: number[];
  readonly hi?: number[];
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
      /** One cell per (t, q): the action label and its lot size; `visited` false when the learner never was there. */
      readonly cells: { t: number; q: number; size: number; label: string; visited: boolean }[];
    };

export interface ExperimentResult {
  readonly id: ExperimentId | 'train';
  readonly title: string;
  readonly settings: Record<string, unknown>;
  readonly table: Record<string, number | string | boolean | null>[];
  readonly checks: Check[];
  /** The checks' verdict (src/checks.ts); pass = at least one check evaluated and none failed. */
  readonly verdict: Verdict;
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
  readonly engine?: ScalarEngine;
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

/** Each experiment's default size (for help texts; the experiment functions hold the values they use). */
export const DEFAULT_SIZES: Record<ExperimentId | 'train', string> = {
  e1: '20 seeds, E = 10,000',
  e2: '20 seeds, E ∈ {100, 200, 300, 500, 1000, 2000, 3000, 5000, 10,000}',
  e3: '20 seeds, E ∈ {3000, 10,000, 30,000, 300,000}',
  e4: '10 seeds, E = 100,000',
  e5: '10 seeds, E = 100,000',
  e6: '20 seeds, E = 300,000',
  e7: '20 seeds, E ∈ {10⁴, 3·10⁴} (a), {10³, 10⁴, 10⁵} (b), {3·10⁴, 10⁵, 3·10⁵, 10⁶} (c)',
  e8: 'no training (exact grids)',
  e9: '20 seeds, T ∈ {500, 2000, 8000}',
  train: '10 seeds, E = 10,000 (or --learner episodes)',
};

export interface Ctx {
  readonly id: ExperimentId | 'train';
  readonly exec: Executor;
  readonly engine: ScalarEngine;
  readonly seeds: number;
  /** The seed count the experiment's criteria were designed for. */
  readonly designSeeds: number;
  readonly evalEpisodes: number;
  steps: number;
  readonly arrays: NamedArray[];
  readonly runs: RunRecord[];
}

export async function context(id: Ctx['id'], o: ExperimentOptions, defaultSeeds: number): Promise<Ctx> {
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
export function need(k: number, n: number, seeds: number): number {
  return Math.ceil((k * seeds) / n - 1e-12);
}

export function countCheck(
  name: string,
  hits: number,
  k: number,
  n: number,
  seeds: number,
  what = '',
): Check {
  const req = need(k, n, seeds);
  return { name, pass: hits >= req, detail: `${hits}/${seeds} (need ${req}${what ? `; ${what}` : ''})` };
}

export const strictlyDecreasing = (xs: number[]) => xs.every((v, i) => i === 0 || v < (xs[i - 1] as number));
export const nonIncreasing = (xs: number[], tol = 1e-9) =>
  xs.every((v, i) => i === 0 || v <= (xs[i - 1] as number) + tol);
export const nonDecreasing = (xs: number[], tol = 1e-9) =>
  xs.every((v, i) => i === 0 || v >= (xs[i - 1] as number) - tol);
export const fmt = (v: number, d = 4) => (Number.isFinite(v) ? Number(v.toFixed(d)) : v);

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
export async function runArms(ctx: Ctx, arms: readonly Arm[]): Promise<ArmResult[]> {
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
    results[i] = r;
    ctx.steps += r.steps;
  });
  return arms.map((arm, a) => {
    const s = solved(arm.env);
    const rs = results.slice(a * ctx.seeds, (a + 1) * ctx.seeds);
    const scores = rs.map((r) => scoreRun(s, r));
    for (const [seed, score] of scores.entries()) {
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
    }
    return { solved: s, results: rs, scores };
  });
}

export const meanOf = (scores: RunScore[], f: (s: RunScore) => number) => mean(scores.map(f));

/** The 25–75 % band over seeds of a per-seed statistic. */
const seedBand = (values: number[]): [number, number] => [
  quantile(Float64Array.from(values), 0.25),
  quantile(Float64Array.from(values), 0.75),
];

/** Mean over seeds with its 25–75 % band, one point per x. */
export function seedSeries(name: string, x: number[], perSeed: (i: number) => number[]): Series {
  const bands = x.map((_, i) => seedBand(perSeed(i)));
  return {
    name,
    x,
    y: x.map((_, i) => mean(perSeed(i))),
    lo: bands.map((b) => b[0]),
    hi: bands.map((b) => b[1]),
  };
}

/** Seed-mean learning curve: checkpoint episodes vs mean exact V^π̂(d0), with its band over seeds. */
function learningCurve(name: string, scores: RunScore[]): Series {
  const x = (scores[0]?.checkpoints ?? []).map((c) => c.episodes);
  return seedSeries(name, x, (c) => scores.map((s) => s.checkpoints[c]?.value ?? Number.NaN));
}

export function twapSeries(q0: number, N: number): Series {
  const t = Array.from({ length: N + 1 }, (_, i) => i);
  return { name: 'TWAP', x: t, y: t.map((i) => q0 * (1 - i / N)) };
}

function profileSeries(name: string, inventories: number[][]): Series {
  const N = (inventories[0]?.length ?? 1) - 1;
  const x = Array.from({ length: N + 1 }, (_, i) => i);
  if (inventories.length === 1) return { name, x, y: x.map((t) => inventories[0]?.[t] as number) };
  return seedSeries(name, x, (t) => inventories.map((q) => q[t] as number));
}

/**
 * The standard trio for an arm: learning curve vs V*, q(t) learned vs optimal vs TWAP, policy
 * heat-map; seed 0's learned tables go to ctx.arrays.
 */
export function standardFigures(ctx: Ctx, tag: string, label: string, arm: ArmResult): Figure[] {
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
  const curve = learningCurve(
    'greedy policy π̂ of Q-learning, exact value (mean over seeds; band 25–75 %)',
    arm.scores,
  );
  const figs: Figure[] = [
    {
      kind: 'curve',
      name: `${tag}-learning-curve`,
      title: `${label}: learning curve vs the exact optimum`,
      xLabel: 'training episodes',
      yLabel: 'expected reward (ticks × lots)',
      series: [curve, { name: 'optimum V* (exact DP)', x: curve.x, y: curve.x.map(() => optimum) }],
    },
    {
      kind: 'profile',
      name: `${tag}-liquidation-profile`,
      title: `${label}: expected inventory q(t)`,
      series: [
        profileSeries(
          'learned π̂ (mean over seeds; band 25–75 %)',
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
        arm.solved,
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
function policyHeatmap(
  name: string,
  title: string,
  s: Solved,
  obsPolicy: Int32Array,
  counts?: Uint32Array,
): Figure {
  const { mdp } = s;
  const policy = liftPolicy(mdp, obsPolicy);
  const d = optimalOccupancy(s);
  const reach = reachable(mdp);
  const cells: { t: number; q: number; size: number; label: string; visited: boolean }[] = [];
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
        // without counts (an optimal policy) every cell counts as visited
        visited: !counts || visits(t, best) > 0,
      });
    }
  return { kind: 'heatmap', name, title, cells };
}

export function result(
  ctx: Ctx,
  title: string,
  settings: Record<string, unknown>,
  table: ExperimentResult['table'],
  checks: Check[],
  headline: ExperimentResult['headline'],
  figures: Figure[],
): ExperimentResult {
  const v = verdict(checks);
  return {
    id: ctx.id,
    title,
    settings: { seeds: ctx.seeds, designSeeds: ctx.designSeeds, engine: ctx.engine, ...settings },
    table,
    checks,
    verdict: v,
    pass: v.status === 'pass',
    headline,
    figures,
    arrays: ctx.arrays,
    steps: ctx.steps,
    runs: ctx.runs,
  };
}

export const env = (raw: Record<string, unknown>) => parseEnvConfig(raw);
