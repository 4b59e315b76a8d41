/**
 * The execution study in sweeps: its config is the environment and learner configs of `execution
 * train` (strict, the spec's defaults) plus the engine and the out-of-sample budget; a seed is one
 * Q-learning run, scored exactly against the optimum of the same MDP (analysis.ts) and, when
 * evalEpisodes > 0, by the paired Monte Carlo of tasks.ts.
 */
import { z } from 'zod';
import { childKey } from '../rng/streams.js';
import type { MetricSpec, SeedKey, SweepStudy } from '../sweep/study.js';
import { scoreRun } from './analysis.js';
import { envProblem, envSchema, envSize, learnerSchema } from './config.js';
import { solved } from './solved.js';
import { runQlTask } from './tasks.js';

const EXPERIMENT = 'execution/sweep';

export const executionStudySchema = z
  .strictObject({
    env: envSchema
      .prefault({ variant: 'impact' })
      .describe('the MDP (`quantrl execution --help` lists its fields)'),
    learner: learnerSchema
      .extend({ episodes: learnerSchema.shape.episodes.default(10_000) })
      .prefault({})
      .describe('tabular Q-learning: episodes, step size α, exploration ε, Q init, checkpoints'),
    engine: z
      .enum(['wasm', 'js'], { message: "must be 'wasm' or 'js'" })
      .default('wasm')
      .describe('both give identical bits'),
    evalEpisodes: z
      .number({ message: 'must be an integer' })
      .int({ message: 'must be an integer' })
      .min(0, { message: 'must be ≥ 0' })
      .max(10_000_000, { message: 'must be at most 10000000' })
      .default(10_000)
      .describe('Monte Carlo episodes of the out-of-sample cost of π̂ and π* (0: none)'),
  })
  .superRefine((c, ctx) => {
    const problem = envProblem(c.env);
    if (!problem) return;
    const isField = problem.field in c.env;
    ctx.addIssue({
      code: 'custom',
      path: isField ? ['env', problem.field] : ['env'],
      message: isField ? problem.message : `${problem.field}: ${problem.message}`,
    });
  });

export type ExecutionStudyConfig = z.output<typeof executionStudySchema>;

function metrics(c: ExecutionStudyConfig): MetricSpec[] {
  const exact: MetricSpec[] = [
    { name: 'value_gap', unit: '', doc: 'V*(s0) − V^π̂(s0): exact shortfall of the greedy learned policy' },
    { name: 'exact', unit: '', doc: '1 if π̂ is optimal (gap within the tie tolerance), else 0' },
    {
      name: 'agreement',
      unit: '',
      doc: 'share of states π* visits (occupancy ≥ 1e-3) where π̂ takes an optimal action',
    },
    { name: 'learned_value', unit: '', doc: 'V^π̂(s0), exact' },
    { name: 'optimal_value', unit: '', doc: 'V*(s0) of the configured MDP (the same for every seed)' },
    { name: 'mean_step', unit: 'steps', doc: 'mean execution step t̄ of π̂ (exact)' },
    { name: 'leftover', unit: 'lots', doc: 'E[q_N] under π̂: lots left at the deadline (exact)' },
  ];
  if (c.learner.checkpoints > 0)
    exact.push({ name: 'q_error', unit: '', doc: 'error of the learned Q at s0 at the last checkpoint' });
  if (c.evalEpisodes === 0) return exact;
  const m = `${c.evalEpisodes} Monte Carlo episodes`;
  return [
    ...exact,
    { name: 'oos_cost', unit: '', doc: `out-of-sample mean cost (−return) of π̂, ${m}` },
    { name: 'oos_optimal_cost', unit: '', doc: `mean cost of π* on the same episodes, ${m}` },
    { name: 'oos_excess_cost', unit: '', doc: 'paired mean cost of π̂ minus π* on the same episodes' },
  ];
}

function runSeeds(
  c: ExecutionStudyConfig,
  seeds: readonly SeedKey[],
  module: WebAssembly.Module,
  run: number,
): Float64Array[] {
  const s = solved(c.env);
  return seeds.map((k) => {
    const r = runQlTask(
      {
        experiment: EXPERIMENT,
        run,
        seed: k.seed,
        engine: c.engine,
        env: c.env,
        learner: c.learner,
        evalEpisodes: c.evalEpisodes,
        keys: { train: k.key, eval: childKey(k.key, 'eval') },
      },
      module,
    );
    const score = scoreRun(s, r);
    const row = [
      score.gap,
      score.exact ? 1 : 0,
      score.agreement,
      score.value,
      score.optimum,
      score.stats.meanStep,
      score.stats.leftover,
    ];
    if (c.learner.checkpoints > 0) row.push(score.qError);
    if (r.mc) row.push(r.mc.costMean, r.mc.optimalCostMean, r.mc.diffMean);
    return Float64Array.from(row);
  });
}

export const executionSweepStudy: SweepStudy<ExecutionStudyConfig> = {
  name: 'execution',
  description: 'optimal execution by tabular Q-learning, scored against the exact optimum of the same MDP',
  schema: executionStudySchema,
  defaults: executionStudySchema.parse({}),
  experiment: () => EXPERIMENT,
  metrics,
  headline: ['value_gap', 'agreement', 'learned_value', 'oos_excess_cost'],
  // ~30 ns per training step, an exact policy evaluation (N·S·A·K) per checkpoint, and the Monte Carlo
  cost: (c) => {
    const size = envSize(c.env);
    const sweepTable = c.env.horizon * size.states * size.actions * size.outcomes;
    return (
      c.env.horizon * (c.learner.episodes * 30 + c.evalEpisodes * 60) +
      (c.learner.checkpoints + 1) * sweepTable * 2
    );
  },
  runSeeds: (c, seeds, ctx, run) => runSeeds(c, seeds, ctx.module, run),
};
