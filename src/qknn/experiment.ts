/**
 * The statistical acceptance tests T3–T8 of spec qknn-market-making §5.3, each run in the recommended
 * and the paper-faithful configuration side by side (same grids' streams, same evaluation episodes),
 * or in one of them when the run asks for it (a full-size run of the gated one alone takes half the
 * time). Gates apply to the recommended configuration; the paper-faithful verdict is informative. Every test
 * has a `full` size (the spec's D and E) and a `reduced` size (runnable in minutes; stated beside the
 * spec's in the report). Checks use the shared vocabulary of src/checks.ts.
 */
import { type Check, check, skipped } from '../checks.js';
import type { KnnKernel } from '../kernels/knn.js';
import { evaluatePolicies } from '../lob/harness.js';
import { O_PNL, OUT_STRIDE } from '../lob/layout.js';
import { builtinPolicy } from '../lob/policies.js';
import type { LobSummary } from '../lob/stats.js';
import type { MemoryNeed } from '../runner/plan.js';
import {
  type AskShareCurve,
  AskShareTally,
  gridAskShare,
  IMBALANCE_BINS,
  type TrendStatistics,
  trendStatistics,
} from './ask-share.js';
import {
  PAPER_FAITHFUL,
  type QknnConfig,
  type QknnConfigInput,
  qknnModel,
  resolveQknnConfig,
} from './config.js';
import { qknnMemoryPlan } from './memory.js';
import { qknnPolicy } from './policy.js';
import { type TrainResult, train } from './solver.js';
import type { KeptTraining, TrainingStore } from './training-store.js';

export const TEST_IDS = ['t3', 't4', 't5', 't6', 't7', 't8'] as const;
export type TestId = (typeof TEST_IDS)[number];
export type Size = 'reduced' | 'full';
export const CONFIGS = ['recommended', 'paper-faithful'] as const;
export type ConfigName = (typeof CONFIGS)[number];

/** Upper-tail normal quantiles used by the one-sided tests (large-E Welch ≈ z). */
const Z01 = 2.326;
const Z05_TWO = 1.96;

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, |error| < 1.5e−7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** One-sided Welch (normal approximation, E ≥ 10³): z of mean(a) − mean(b) − margin > 0. */
export function welchZ(a: { mean: number; se: number }, b: { mean: number; se: number }, margin = 0): number {
  const se = Math.hypot(a.se, b.se);
  return se > 0 ? (a.mean - b.mean - margin) / se : Number.POSITIVE_INFINITY;
}

/** Share of episodes with P&L ≤ c. */
export function tailShare(rec: Float64Array, c: number): number {
  const n = rec.length / OUT_STRIDE;
  let k = 0;
  for (let e = 0; e < n; e++) if ((rec[e * OUT_STRIDE + O_PNL] as number) <= c) k++;
  return n > 0 ? k / n : Number.NaN;
}

/** One trained arm: a configuration's policy, its solver figures and its evaluation summary. */
export interface ArmResult {
  readonly label: string;
  readonly config: ConfigName;
  readonly D: number;
  readonly V0: number;
  readonly V0of11: number;
  readonly gridPoints: number;
  readonly trainSeconds: number;
  readonly summary: LobSummary;
  readonly pLe3: number;
  readonly pLe5: number;
  /** Share of the evaluation's decisions taken at an inventory absent from that step's grid. */
  readonly offGrid: number;
}

export interface TestResult {
  readonly id: TestId;
  readonly title: string;
  readonly expectation: string;
  /** This run's sizes beside the spec's. */
  readonly sizes: { what: string; ours: number; spec: number }[];
  readonly arms: ArmResult[];
  /** The baseline 11 per evaluated model (label → summary). */
  readonly baselines: Record<string, LobSummary & { pLe3: number; pLe5: number }>;
  /** Checks per configuration run (both unless the run asked for one). */
  readonly checks: Partial<Record<ConfigName, Check[]>>;
  /** Statements the spec asks to report without gating them (T6's decision version). */
  readonly reported?: Partial<Record<ConfigName, Check[]>>;
  /** T6's ask-share curves: per configuration, trend and version (grid states or evaluation decisions). */
  readonly curves?: AskShareRow[];
  /** Summaries for the P&L histogram chart (Qknn of both configurations and 11). */
  readonly chart: LobSummary[];
}

export interface AskShareRow {
  readonly config: ConfigName;
  readonly trend: number;
  readonly version: 'grid' | 'decisions';
  readonly bin: number;
  readonly share: number | null;
  /** Orders (ask + bid) counted in the bin. */
  readonly orders: number;
  /** States (grid points or decisions) counted over all bins of the curve. */
  readonly states: number;
}

export interface ExperimentContext {
  readonly size: Size;
  readonly kernel?: KnnKernel;
  /** Trains one configuration (the command's pooled trainer); the synchronous `train` without it. */
  readonly train?: (c: QknnConfig) => Promise<TrainResult>;
  readonly onProgress?: (text: string) => void;
  /** Size override per test (tests of the machinery at tiny sizes). */
  readonly sizes?: Partial<Record<TestId, { D: number[]; E: number }>>;
  /** Trainings shared between consecutive tests of one run (see TrainingMemo). */
  readonly memo?: TrainingMemo;
  /** Trainings kept on disk across runs (an interrupted run resumes from them). */
  readonly store?: TrainingStore;
  /** The configurations to train and evaluate, in CONFIGS order (default: both). */
  readonly configs?: readonly ConfigName[];
}

function configsOf(ctx: ExperimentContext): readonly ConfigName[] {
  return ctx.configs ?? CONFIGS;
}

/** The configurations a run's results hold, in CONFIGS order. */
export function configsIn(results: readonly TestResult[]): ConfigName[] {
  return CONFIGS.filter((name) => results.some((r) => r.checks[name] !== undefined));
}

/**
 * Trainings of the previous and the current test, keyed by the resolved configuration. A training is
 * a function of its configuration alone (its streams depend on the seed and run, never on the test),
 * so an arm that repeats an earlier arm's configuration reuses its policy: T3's D = 10⁵ arm is T5's
 * T = 1 arm and T6's κ = 0 arm, and T6's κ = 0.3 arm is T7's Opt1lim arm (RUN_ORDER puts them next to
 * each other). Only two tests' trainings are kept, which bounds the memory a run holds.
 */
export class TrainingMemo {
  private previous = new Map<string, KeptTraining>();
  private current = new Map<string, KeptTraining>();

  /** Call before each test: the finished test's trainings become the reusable ones. */
  nextTest(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  get(c: QknnConfig): KeptTraining | undefined {
    const key = JSON.stringify(c);
    const e = this.current.get(key) ?? this.previous.get(key);
    if (e) this.current.set(key, e);
    return e;
  }

  set(c: QknnConfig, e: KeptTraining): void {
    this.current.set(JSON.stringify(c), e);
  }
}

/** The order `all` runs the tests in: tests sharing a training follow each other (see TrainingMemo). */
export const RUN_ORDER: readonly TestId[] = ['t3', 't5', 't6', 't7', 't4', 't8'];

function sizeOf(ctx: ExperimentContext, id: TestId): { D: number[]; E: number } {
  return ctx.sizes?.[id] ?? SIZES[id][ctx.size];
}

interface ArmSpec {
  readonly label: string;
  readonly base: QknnConfigInput;
}

const CONFIG_INPUT: Record<ConfigName, Partial<QknnConfigInput>> = {
  recommended: {},
  'paper-faithful': PAPER_FAITHFUL,
};

/** Sizes per test: the spec's (full) and the reduced run's. */
export const SIZES: Record<TestId, Record<Size, { D: number[]; E: number }>> = {
  t3: { full: { D: [6000, 100_000], E: 10_000 }, reduced: { D: [100, 600], E: 4000 } },
  t4: { full: { D: [1000, 10_000, 100_000], E: 10_000 }, reduced: { D: [100, 300, 600], E: 4000 } },
  t5: { full: { D: [100_000], E: 10_000 }, reduced: { D: [60], E: 2000 } },
  // E: evaluation episodes per policy for the decision version (≈ 27 decisions each on R-const, T = 1)
  t6: { full: { D: [100_000], E: 4000 }, reduced: { D: [600], E: 1000 } },
  t7: { full: { D: [100_000], E: 10_000 }, reduced: { D: [300], E: 4000 } },
  t8: { full: { D: [40_000], E: 10_000 }, reduced: { D: [60], E: 2000 } },
};

/** N for the long horizon T = 10 on R-const (≈27 events per unit time; q99.9 of 10 units ≈ 330). */
const LONG_N = 400;

async function trainAndEvaluate(
  ctx: ExperimentContext,
  arm: ArmSpec,
  E: number,
  experiment: string,
): Promise<{
  arms: ArmResult[];
  baseline: LobSummary & { pLe3: number; pLe5: number };
  results: TrainResult[];
}> {
  const results: TrainResult[] = [];
  const arms: ArmResult[] = [];
  const names = configsOf(ctx);
  for (const name of names) {
    const c = resolveQknnConfig({ ...arm.base, ...CONFIG_INPUT[name] });
    const t0 = performance.now();
    const inMemory = ctx.memo?.get(c);
    const reused = inMemory ?? ctx.store?.get(c);
    ctx.onProgress?.(
      inMemory
        ? `${arm.label} ${name}: training D = ${c.D} reused (same configuration as an earlier arm)`
        : reused
          ? `${arm.label} ${name}: training D = ${c.D} reused (kept in ${ctx.store?.fileOf(c)})`
          : `${arm.label} ${name}: training D = ${c.D}`,
    );
    const r =
      reused?.result ??
      (ctx.train
        ? await ctx.train(c)
        : train(c, { engine: ctx.kernel ? 'wasm' : 'js', ...(ctx.kernel ? { kernel: ctx.kernel } : {}) }));
    const seconds = reused?.seconds ?? (performance.now() - t0) / 1000;
    ctx.memo?.set(c, { result: r, seconds });
    if (!reused) ctx.store?.set(c, r);
    results.push(r);
    arms.push({
      label: arm.label,
      config: name,
      D: c.D,
      V0: r.V0[0] as number,
      V0of11: r.V0of11,
      gridPoints: r.gridPoints,
      trainSeconds: seconds,
      summary: undefined as unknown as LobSummary,
      pLe3: 0,
      pLe5: 0,
      offGrid: Number.NaN,
    });
  }
  const model = (results[0] as TrainResult).model;
  if (E === 0) {
    const empty = undefined as unknown as LobSummary & { pLe3: number; pLe5: number };
    return { arms, baseline: empty, results };
  }
  ctx.onProgress?.(`${arm.label}: evaluating ${E} episodes per policy`);
  const plan = { model, episodes: E, experiment, run: 0, engine: 'js' as const };
  // one policy at a time: a policy holds an index over every step's grid, an evaluation's largest
  // allocation (gigabytes at T = 10, D = 10⁵); the episodes are the same whatever the order
  const out: ArmResult[] = [];
  for (const [i, r] of results.entries()) {
    const dec = qknnPolicy(r.config, r.spec, r.steps, `qknn ${names[i]} ${arm.label}`);
    const { summaries, records } = await evaluatePolicies(undefined, plan, [dec.policy]);
    const rec = records[0] as Float64Array;
    const { offGrid, decisions } = dec.stats;
    out.push({
      ...(arms[i] as ArmResult),
      summary: summaries[0] as LobSummary,
      pLe3: tailShare(rec, -3),
      pLe5: tailShare(rec, -5),
      offGrid: decisions > 0 ? offGrid / decisions : Number.NaN,
    });
  }
  const of11 = await evaluatePolicies(undefined, plan, [builtinPolicy('11')]);
  const r11 = of11.records[0] as Float64Array;
  const baseline = {
    ...(of11.summaries[0] as LobSummary),
    pLe3: tailShare(r11, -3),
    pLe5: tailShare(r11, -5),
  };
  return { arms: out, baseline, results };
}

const f3 = (v: number) => v.toFixed(3);
const ms = (s: { mean: number; se: number }) => `${f3(s.mean)} ± ${f3(s.se)}`;

/** Two proportions, one-sided: z of p_b − p_a > 0 (a better, i.e. smaller). */
function propZ(pa: number, pb: number, n: number): number {
  const p = (pa + pb) / 2;
  const se = Math.sqrt((2 * p * (1 - p)) / n);
  return se > 0 ? (pb - pa) / se : pb > pa ? Number.POSITIVE_INFINITY : 0;
}

function byConfig<T>(ctx: ExperimentContext, f: (name: ConfigName) => T): Partial<Record<ConfigName, T>> {
  return Object.fromEntries(configsOf(ctx).map((name) => [name, f(name)]));
}

async function t3(ctx: ExperimentContext): Promise<TestResult> {
  const { D, E } = sizeOf(ctx, 't3');
  const [dSmall, dLarge] = D as [number, number];
  const small = await trainAndEvaluate(
    ctx,
    { label: `D=${dSmall}`, base: { regime: 'const', D: dSmall } },
    E,
    'qknn/t3',
  );
  const large = await trainAndEvaluate(
    ctx,
    { label: `D=${dLarge}`, base: { regime: 'const', D: dLarge } },
    E,
    'qknn/t3',
  );
  const b = large.baseline;
  const checks = byConfig(ctx, (name) => {
    const L = large.arms.find((a) => a.config === name) as ArmResult;
    const S = small.arms.find((a) => a.config === name) as ArmResult;
    const zNi = welchZ(L.summary, b, -0.05);
    return [
      check(
        `non-inferior mean at D = ${dLarge}: mean(Qknn) ≥ mean(11) − 0.05`,
        zNi > -Z01,
        `Qknn ${ms(L.summary)} vs 11 ${ms(b)}; z = ${zNi.toFixed(2)} (fails if < −${Z01})`,
      ),
      check(
        'P(P&L ≤ −3) strictly better than 11',
        propZ(L.pLe3, b.pLe3, E) > Z01,
        `${f3(L.pLe3)} vs ${f3(b.pLe3)}; z = ${propZ(L.pLe3, b.pLe3, E).toFixed(2)}`,
      ),
      check(
        '5 % CVaR strictly better than 11',
        L.summary.cvar5 > b.cvar5,
        `${L.summary.cvar5.toFixed(2)} vs ${b.cvar5.toFixed(2)}`,
      ),
      check(
        `mean at D = ${dSmall} significantly below D = ${dLarge}`,
        welchZ(L.summary, S.summary) > Z01,
        `${ms(S.summary)} vs ${ms(L.summary)}; z = ${welchZ(L.summary, S.summary).toFixed(2)}`,
      ),
    ];
  });
  return {
    id: 't3',
    title: 'T3 (Fig. 3): R-const, T = 1, A1lim',
    expectation:
      'at D = 10⁵ mean(Qknn) ≥ mean(11) − 0.05, P(P&L ≤ −3) and 5 % CVaR strictly better; at D = 6·10³ the mean is significantly below its D = 10⁵ value',
    sizes: [
      { what: 'D (small grid)', ours: dSmall, spec: 6000 },
      { what: 'D (large grid)', ours: dLarge, spec: 100_000 },
      { what: 'E (episodes per policy)', ours: E, spec: 10_000 },
    ],
    arms: [...small.arms, ...large.arms],
    baselines: { 'R-const T=1': b },
    checks,
    chart: [...large.arms.map((a) => a.summary), b],
  };
}

async function t4(ctx: ExperimentContext): Promise<TestResult> {
  const { D, E } = sizeOf(ctx, 't4');
  const runs: Awaited<ReturnType<typeof trainAndEvaluate>>[] = [];
  for (const d of D)
    runs.push(
      await trainAndEvaluate(ctx, { label: `D=${d}`, base: { regime: 'hlr-dev', D: d } }, E, 'qknn/t4'),
    );
  const b = (runs[0] as (typeof runs)[number]).baseline;
  const checks = byConfig(ctx, (name) => {
    const arms = runs.map((r) => r.arms.find((a) => a.config === name) as ArmResult);
    const out: Check[] = [];
    for (let i = 1; i < arms.length; i++) {
      const p = arms[i - 1] as ArmResult,
        q = arms[i] as ArmResult;
      const tol = 2 * Math.hypot(p.summary.se, q.summary.se);
      out.push(
        check(
          `mean non-decreasing D = ${p.D} → ${q.D} (up to 2 SE)`,
          q.summary.mean >= p.summary.mean - tol,
          `${ms(p.summary)} → ${ms(q.summary)} (tolerance ${f3(tol)})`,
        ),
      );
    }
    const first = arms[0] as ArmResult,
      last = arms[arms.length - 1] as ArmResult;
    const z = welchZ(last.summary, first.summary);
    out.push(
      check(`mean(D = ${last.D}) − mean(D = ${first.D}) > 0 significantly`, z > Z01, `z = ${z.toFixed(2)}`),
    );
    const zb = welchZ(last.summary, b);
    out.push(
      check(
        `mean(Qknn) > mean(11) significantly at D = ${last.D}`,
        zb > Z01,
        `${ms(last.summary)} vs ${ms(b)}; z = ${zb.toFixed(2)}`,
      ),
    );
    out.push(check('sd(Qknn) < sd(11)', last.summary.sd < b.sd, `${f3(last.summary.sd)} vs ${f3(b.sd)}`));
    return out;
  });
  return {
    id: 't4',
    title: 'T4 (Fig. 4): R-hlr-dev, short T, A1lim, Qknn against D',
    expectation:
      'means at D = 10³, 10⁴, 10⁵ non-decreasing up to 2 SE; mean(10⁵) − mean(10³) > 0 significantly; at D ≥ 10⁴ (R-hlr-dev) mean(Qknn) > mean(11) significantly and sd(Qknn) < sd(11)',
    sizes: [
      ...D.map((d, i) => ({ what: `D (grid ${i + 1})`, ours: d, spec: SIZES.t4.full.D[i] as number })),
      { what: 'E (episodes per policy)', ours: E, spec: 10_000 },
    ],
    arms: runs.flatMap((r) => r.arms),
    baselines: { 'R-hlr-dev': b },
    checks,
    chart: [...(runs[runs.length - 1] as (typeof runs)[number]).arms.map((a) => a.summary), b],
  };
}

async function t5(ctx: ExperimentContext): Promise<TestResult> {
  const { D, E } = sizeOf(ctx, 't5');
  const d = D[0] as number;
  const short = await trainAndEvaluate(
    ctx,
    { label: `T=1 D=${d}`, base: { regime: 'const', D: d } },
    E,
    'qknn/t5',
  );
  const long = await trainAndEvaluate(
    ctx,
    { label: `T=10 D=${d}`, base: { regime: 'const', D: d, T: 10, N: LONG_N } },
    E,
    'qknn/t5',
  );
  const checks = byConfig(ctx, (name) => {
    const S = short.arms.find((a) => a.config === name) as ArmResult;
    const L = long.arms.find((a) => a.config === name) as ArmResult;
    const gapS = S.summary.mean - short.baseline.mean;
    const gapL = L.summary.mean - long.baseline.mean;
    const z = welchZ(L.summary, long.baseline);
    return [
      check('T = 10: mean(Qknn) − mean(11) > 0 significantly', z > Z01, `${f3(gapL)} (z = ${z.toFixed(2)})`),
      check('the gap is larger than at T = 1', gapL > gapS, `${f3(gapL)} vs ${f3(gapS)}`),
      check(
        "P(P&L ≤ −5) of Qknn below half of 11's",
        L.pLe5 < 0.5 * long.baseline.pLe5,
        `${f3(L.pLe5)} vs ${f3(long.baseline.pLe5)}`,
      ),
    ];
  });
  return {
    id: 't5',
    title: `T5 (Fig. 5): R-const, long T = 10 (N = ${LONG_N}) against T = 1, A1lim`,
    expectation:
      "mean(Qknn) − mean(11) > 0 significantly and larger than at short T; P(P&L ≤ −5) of Qknn below half of 11's",
    sizes: [
      { what: 'D', ours: d, spec: 100_000 },
      { what: 'E (episodes per policy)', ours: E, spec: 10_000 },
    ],
    arms: [...short.arms, ...long.arms],
    baselines: { 'T=1': short.baseline, 'T=10': long.baseline },
    checks,
    chart: [...long.arms.map((a) => a.summary), long.baseline],
  };
}

/** The ask-share curve over the decisions of a trained policy in E evaluation episodes of its model. */
async function decisionAskShare(r: TrainResult, E: number, experiment: string): Promise<AskShareCurve> {
  const tally = new AskShareTally(r.config.actions, r.model.K);
  const dec = qknnPolicy(r.config, r.spec, r.steps, 'qknn', (st, ask, bid) => tally.add(st, 0, ask, bid));
  await evaluatePolicies(undefined, { model: r.model, episodes: E, experiment, run: 0, engine: 'js' }, [
    dec.policy,
  ]);
  return tally.curve();
}

/** T6's two statements on a pair of curves, as checks (gated for the grid version, reported otherwise). */
function trendChecks(st: TrendStatistics, version: string): Check[] {
  return [
    st.rhoCritical === undefined
      ? skipped(`${version}: no-trend curve Spearman < 0 at 1 %`, `only ${st.bins} non-empty bins`)
      : check(
          `${version}: no-trend curve Spearman < 0 at 1 %`,
          st.rho <= -st.rhoCritical,
          `ρ = ${f3(st.rho)} over ${st.bins} bins (critical −${st.rhoCritical})`,
        ),
    st.tCritical === undefined
      ? skipped(`${version}: trend curve below on average at 5 %`, `only ${st.pairs} paired bins`)
      : check(
          `${version}: trend curve below on average at 5 % (paired t over bins)`,
          st.t < -st.tCritical,
          `mean difference ${f3(st.meanDifference)}, t = ${st.t.toFixed(2)} (critical −${st.tCritical})`,
        ),
  ];
}

async function t6(ctx: ExperimentContext): Promise<TestResult> {
  const { D, E } = sizeOf(ctx, 't6');
  const d = D[0] as number;
  const trends = [0, 0.3] as const;
  const runs = [];
  for (const trend of trends)
    runs.push(
      await trainAndEvaluate(
        ctx,
        { label: `κ=${trend} D=${d}`, base: { regime: 'const', D: d, trend } },
        0,
        'qknn/t6',
      ),
    );
  const curves: AskShareRow[] = [];
  const push = (config: ConfigName, trend: number, version: AskShareRow['version'], c: AskShareCurve) => {
    for (let bin = 0; bin < IMBALANCE_BINS; bin++)
      curves.push({
        config,
        trend,
        version,
        bin,
        share: c.share[bin] ?? null,
        orders: c.orders[bin] as number,
        states: c.states,
      });
  };
  const checks: Partial<Record<ConfigName, Check[]>> = {};
  const reported: Partial<Record<ConfigName, Check[]>> = {};
  let fewestDecisions = Number.POSITIVE_INFINITY;
  for (const [i, name] of configsOf(ctx).entries()) {
    const results = runs.map((r) => r.results[i] as TrainResult);
    const grid = results.map((r) => gridAskShare(r.config, r.model.K, r.grids, r.steps));
    grid.forEach((c, j) => {
      push(name, trends[j] as number, 'grid', c);
    });
    checks[name] = trendChecks(trendStatistics(grid[0] as AskShareCurve, grid[1] as AskShareCurve), 'grid');
    // the same statistics over the grid states without inventory: is the slope an inventory mix?
    const flat = results.map((r) => gridAskShare(r.config, r.model.K, r.grids, r.steps, true));
    const atFlat = trendChecks(
      trendStatistics(flat[0] as AskShareCurve, flat[1] as AskShareCurve),
      'grid, y = 0',
    );
    if (E === 0) {
      reported[name] = [...atFlat, skipped('decision version', 'no evaluation episodes at this size')];
      continue;
    }
    ctx.onProgress?.(`T6 ${name}: ask share over the decisions of ${E} episodes per trend`);
    const dec: AskShareCurve[] = [];
    for (const r of results) dec.push(await decisionAskShare(r, E, 'qknn/t6'));
    dec.forEach((c, j) => {
      push(name, trends[j] as number, 'decisions', c);
      fewestDecisions = Math.min(fewestDecisions, c.states);
    });
    reported[name] = [
      ...atFlat,
      ...trendChecks(trendStatistics(dec[0] as AskShareCurve, dec[1] as AskShareCurve), 'decisions'),
    ];
  }
  return {
    id: 't6',
    title: 'T6 (Fig. 6): ask share against queue imbalance, κ = 0.3 vs κ = 0 (R-const, T = 1, A1lim)',
    expectation:
      'grid version: the no-trend curve has negative slope (Spearman < 0, p < 1 %); the trend curve lies below on average (paired over bins, p < 5 %); the same over grid states with y = 0 and the decision version over 10⁵ evaluation decisions are reported',
    sizes: [
      { what: 'D', ours: d, spec: 100_000 },
      ...(E > 0
        ? [
            {
              what: 'evaluation decisions with a non-empty best queue (fewest of the four policies)',
              ours: fewestDecisions,
              spec: 100_000,
            },
          ]
        : []),
    ],
    arms: runs.flatMap((r) => r.arms),
    baselines: {},
    checks,
    reported,
    curves,
    chart: [],
  };
}

async function t7(ctx: ExperimentContext): Promise<TestResult> {
  const { D, E } = sizeOf(ctx, 't7');
  const d = D[0] as number;
  const one = await trainAndEvaluate(
    ctx,
    { label: `A1lim D=${d}`, base: { regime: 'const', D: d, trend: 0.3 } },
    E,
    'qknn/t7',
  );
  const two = await trainAndEvaluate(
    ctx,
    { label: `A2lim D=${d}`, base: { regime: 'const', D: d, trend: 0.3, actions: 'A2lim' } },
    E,
    'qknn/t7',
  );
  const b = one.baseline;
  const checks = byConfig(ctx, (name) => {
    const A1 = one.arms.find((a) => a.config === name) as ArmResult;
    const A2 = two.arms.find((a) => a.config === name) as ArmResult;
    const z12 = welchZ(A2.summary, A1.summary);
    const zb = welchZ(A2.summary, b);
    return [
      check(
        'mean(Opt2lim) > mean(Opt1lim) significantly',
        z12 > Z01,
        `${ms(A2.summary)} vs ${ms(A1.summary)}; z = ${z12.toFixed(2)}`,
      ),
      check(
        'mean(Opt2lim) > mean(11) significantly',
        zb > Z01,
        `${ms(A2.summary)} vs ${ms(b)}; z = ${zb.toFixed(2)}`,
      ),
    ];
  });
  return {
    id: 't7',
    title: 'T7 (Fig. 7): short T = 1, trend κ = 0.3, Opt2lim vs Opt1lim vs 11 (R-const)',
    expectation: 'mean(Opt2lim) > mean(Opt1lim) significantly, and mean(Opt2lim) > mean(11)',
    sizes: [
      { what: 'D', ours: d, spec: 100_000 },
      { what: 'E (episodes per policy)', ours: E, spec: 10_000 },
    ],
    arms: [...one.arms, ...two.arms],
    baselines: { 'κ=0.3 T=1': b },
    checks,
    chart: [...two.arms.map((a) => a.summary), b],
  };
}

async function t8(ctx: ExperimentContext): Promise<TestResult> {
  const { D, E } = sizeOf(ctx, 't8');
  const d = D[0] as number;
  const base = { regime: 'const' as const, D: d, T: 10, N: LONG_N, trend: 0 };
  const one = await trainAndEvaluate(ctx, { label: `A1lim D=${d}`, base }, E, 'qknn/t8');
  const two = await trainAndEvaluate(
    ctx,
    { label: `A2lim D=${d}`, base: { ...base, actions: 'A2lim' } },
    E,
    'qknn/t8',
  );
  const b = one.baseline;
  const checks = byConfig(ctx, (name) => {
    const A1 = one.arms.find((a) => a.config === name) as ArmResult;
    const A2 = two.arms.find((a) => a.config === name) as ArmResult;
    const diff = A2.summary.mean - A1.summary.mean;
    const z = welchZ(A2.summary, A1.summary);
    return [
      check(
        '|mean(Opt2lim) − mean(Opt1lim)| < 0.1 or not significant at 5 %',
        Math.abs(diff) < 0.1 || Math.abs(z) < Z05_TWO,
        `difference ${f3(diff)}, z = ${z.toFixed(2)}`,
      ),
      ...[A1, A2].map((a, i) =>
        check(
          `mean(Opt${i + 1}lim) ≥ mean(11) − 2 SE`,
          a.summary.mean >= b.mean - 2 * Math.hypot(a.summary.se, b.se),
          `${ms(a.summary)} vs ${ms(b)}`,
        ),
      ),
    ];
  });
  return {
    id: 't8',
    title: `T8 (Fig. 8): long T = 10 (N = ${LONG_N}), κ = 0, Opt2lim vs Opt1lim (R-const)`,
    expectation:
      '|mean(Opt2lim) − mean(Opt1lim)| < 0.1 tick or not significant at 5 %; both ≥ mean(11) − 2 SE',
    sizes: [
      { what: 'D', ours: d, spec: 40_000 },
      { what: 'E (episodes per policy)', ours: E, spec: 10_000 },
    ],
    arms: [...one.arms, ...two.arms],
    baselines: { 'κ=0 T=10': b },
    checks,
    chart: [...two.arms.map((a) => a.summary), b],
  };
}

export const TESTS: Record<TestId, (ctx: ExperimentContext) => Promise<TestResult>> = {
  t3,
  t4,
  t5,
  t6,
  t7,
  t8,
};

/** How many grid sizes D each test takes: T3 a small and a large grid, T4 a rising series, the rest one. */
export const D_COUNT: Record<TestId, { min: number; max: number }> = {
  t3: { min: 2, max: 2 },
  t4: { min: 2, max: 8 },
  t5: { min: 1, max: 1 },
  t6: { min: 1, max: 1 },
  t7: { min: 1, max: 1 },
  t8: { min: 1, max: 1 },
};

/**
 * Per test, the base of its most memory-hungry arm: the longest horizon (most steps) and the largest
 * action set (largest query batches); the plan takes it at the test's largest D.
 */
const PLAN_BASE: Record<TestId, QknnConfigInput> = {
  t3: { regime: 'const' },
  t4: { regime: 'hlr-dev' },
  t5: { regime: 'const', T: 10, N: LONG_N },
  t6: { regime: 'const', trend: 0.3 },
  t7: { regime: 'const', trend: 0.3, actions: 'A2lim' },
  t8: { regime: 'const', T: 10, N: LONG_N, actions: 'A2lim' },
};

/**
 * The memory an experiment needs, the largest over its tests in run order. A test holds its own trained
 * policies and the memo of the previous test's (each counted at its test's largest arm), and on top of
 * them either a training's working memory or the indexes of the one policy being evaluated.
 */
export function experimentMemory(
  ids: readonly TestId[],
  sizes: Record<TestId, { D: number[] }>,
  flag: string,
  configs: number = CONFIGS.length,
): MemoryNeed {
  let previousHeld = 0;
  const needs = ids.map((id) => {
    const D = sizes[id].D;
    const p = qknnMemoryPlan(resolveQknnConfig({ ...PLAN_BASE[id], D: Math.max(...D) }), { flag });
    const held = trainingRuns(id, D, configs) * p.policyBytes;
    const mainBytes = previousHeld + held + Math.max(p.need.mainBytes, p.policyIndexBytes);
    previousHeld = held;
    return { ...p.need, mainBytes };
  });
  const most = (f: (n: MemoryNeed) => number) => Math.max(...needs.map(f));
  return {
    flag,
    kernelBytes: most((n) => n.kernelBytes),
    largestBlockBytes: most((n) => n.largestBlockBytes),
    workerHostBytes: most((n) => n.workerHostBytes),
    mainBytes: most((n) => n.mainBytes),
    // report.md, the tables and the charts
    fileBytes: 8 * 2 ** 20,
  };
}

/** Training runs a test makes at sizes D over the given number of configurations. */
export function trainingRuns(id: TestId, D: readonly number[], configs: number = CONFIGS.length): number {
  const arms = id === 't3' || id === 't5' || id === 't6' || id === 't7' || id === 't8' ? 2 : D.length;
  return arms * configs;
}

export { qknnModel };
