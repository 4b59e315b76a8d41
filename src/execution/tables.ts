/**
 * The execution study's tidy tables: `runs` (one row per Q-learning run: arm × seed × budget, scored
 * exactly against the DP optimum, with its out-of-sample cost) and `learning_curve` (one row per run ×
 * checkpoint). Values are rewards (= −cost) in ticks × lots, the unit of the environments.
 */
import { defineTable, type TableFiles, TableRows, writeTable } from '../store/table.js';
import type { RunRecord } from './experiments/index.js';

const REWARD = 'ticks × lots';
const key = [
  { name: 'experiment', type: 'string', unit: '', doc: "experiment id: 'e1' … 'e9' or 'train'" },
  {
    name: 'run',
    type: 'i32',
    unit: '',
    doc: 'arm index within the experiment (part of the random-stream key)',
  },
  { name: 'seed', type: 'i32', unit: '', doc: 'seed index (part of the random-stream key)' },
  { name: 'episodes', type: 'i64', unit: 'episodes', doc: 'training budget E of this run' },
  {
    name: 'env_variant',
    type: 'string',
    unit: '',
    doc: "environment variant: 'deterministic', 'impact', 'order-type' or 'noisy-features'",
  },
] as const;

export const EXECUTION_RUNS = defineTable({
  name: 'runs',
  doc: 'One row per Q-learning run (arm × seed × budget), scored exactly against the optimum of the same MDP.',
  columns: [
    ...key,
    { name: 'env', type: 'string', unit: '', doc: 'the resolved environment config, as JSON' },
    { name: 'learner', type: 'string', unit: '', doc: 'the resolved learner config, as JSON' },
    {
      name: 'value',
      type: 'f64',
      unit: REWARD,
      doc: 'exact expected reward V^π̂(d0) of the greedy learned policy',
    },
    {
      name: 'optimum',
      type: 'f64',
      unit: REWARD,
      doc: 'exact optimal expected reward V*(d0) (backward induction)',
    },
    { name: 'value_gap', type: 'f64', unit: REWARD, doc: 'V*(d0) − V^π̂(d0) ≥ 0' },
    {
      name: 'greedy_optimal',
      type: 'bool',
      unit: '',
      doc: 'value_gap within 1e-9·(1 + |V*|): the learned policy is optimal',
    },
    {
      name: 'policy_agreement',
      type: 'f64',
      unit: 'share',
      doc: 'share of states π* visits (probability ≥ 1e-3) where π̂ picks an optimal action',
    },
    {
      name: 'q_error',
      type: 'f64',
      unit: REWARD,
      doc: '|max_a Q̂(s0, a) − V*(s0)| averaged over start states s0, after training',
    },
    {
      name: 'mean_step',
      type: 'f64',
      unit: 'decision steps',
      doc: 'mean execution time t̄: lot-weighted mean step of the sales (leftover counted at N)',
    },
    {
      name: 'liquidation_time',
      type: 'f64',
      unit: 'decision steps',
      doc: 'expected first step with inventory 0 (N if never)',
    },
    { name: 'leftover', type: 'f64', unit: 'lots', doc: 'expected inventory left at the horizon' },
    {
      name: 'p_leftover',
      type: 'f64',
      unit: 'probability',
      doc: 'probability of inventory left at the horizon',
    },
    {
      name: 'lo_share',
      type: 'f64',
      unit: 'share',
      doc: 'expected share of volume filled by limit orders (order-type only, else 0)',
    },
    {
      name: 'mo_count',
      type: 'f64',
      unit: 'orders',
      doc: 'expected number of market orders per episode (order-type only, else 0)',
    },
    {
      name: 'oos_episodes',
      type: 'i32',
      unit: 'episodes',
      doc: 'Monte Carlo episodes of the out-of-sample evaluation (null: not evaluated)',
      nullable: true,
    },
    {
      name: 'oos_cost_mean',
      type: 'f64',
      unit: REWARD,
      doc: 'mean out-of-sample cost (−return) of π̂',
      nullable: true,
    },
    { name: 'oos_cost_sd', type: 'f64', unit: REWARD, doc: 'sd over episodes of that cost', nullable: true },
    {
      name: 'oos_optimal_cost_mean',
      type: 'f64',
      unit: REWARD,
      doc: 'mean cost of π* on the same random numbers',
      nullable: true,
    },
    {
      name: 'oos_cost_gap_mean',
      type: 'f64',
      unit: REWARD,
      doc: 'mean of the paired cost difference π̂ − π*',
      nullable: true,
    },
    {
      name: 'oos_cost_gap_sd',
      type: 'f64',
      unit: REWARD,
      doc: 'sd of the paired difference (95 % CI: mean ± 1.96·sd/√episodes)',
      nullable: true,
    },
  ],
});

export const EXECUTION_LEARNING_CURVE = defineTable({
  name: 'learning_curve',
  doc: 'One row per run × checkpoint: the exact value of the greedy policy during training.',
  columns: [
    ...key,
    { name: 'checkpoint', type: 'i64', unit: 'episodes', doc: 'training episodes done at this checkpoint' },
    { name: 'value', type: 'f64', unit: REWARD, doc: 'exact V^π̂(d0) of the greedy policy at the checkpoint' },
    { name: 'optimum', type: 'f64', unit: REWARD, doc: 'V*(d0), for the gap' },
    {
      name: 'q_error',
      type: 'f64',
      unit: REWARD,
      doc: '|max_a Q̂(s0, a) − V*(s0)| averaged over start states s0',
    },
    {
      name: 'visited',
      type: 'f64',
      unit: 'share',
      doc: 'share of reachable (t, observed state, feasible action) table entries visited at least once',
    },
    {
      name: 'moving_return',
      type: 'f64',
      unit: REWARD,
      doc: 'mean discounted return of the last ≤ 100 training episodes',
    },
  ],
});

/** Writes runs.{parquet,csv} and learning_curve.{parquet,csv} of one experiment. */
export function writeExecutionTables(
  dir: string,
  experiment: string,
  runs: readonly RunRecord[],
): TableFiles[] {
  const rows = new TableRows(EXECUTION_RUNS);
  const curve = new TableRows(EXECUTION_LEARNING_CURVE);
  for (const r of runs) {
    const k = { experiment, run: r.run, seed: r.seed, episodes: r.episodes, env_variant: r.env.variant };
    const s = r.score;
    rows.push({
      ...k,
      env: JSON.stringify(r.env),
      learner: JSON.stringify(r.learner),
      value: s.value,
      optimum: s.optimum,
      value_gap: s.gap,
      greedy_optimal: s.exact,
      policy_agreement: s.agreement,
      q_error: s.qError,
      mean_step: s.stats.meanStep,
      liquidation_time: s.stats.liquidationTime,
      leftover: s.stats.leftover,
      p_leftover: s.stats.pLeftover,
      lo_share: s.stats.loShare,
      mo_count: s.stats.moCount,
      oos_episodes: r.mc?.episodes ?? null,
      oos_cost_mean: r.mc?.costMean ?? null,
      oos_cost_sd: r.mc?.costSd ?? null,
      oos_optimal_cost_mean: r.mc?.optimalCostMean ?? null,
      oos_cost_gap_mean: r.mc?.diffMean ?? null,
      oos_cost_gap_sd: r.mc?.diffSd ?? null,
    });
    for (const c of s.checkpoints)
      curve.push({
        ...k,
        checkpoint: c.episodes,
        value: c.value,
        optimum: s.optimum,
        q_error: c.qError,
        visited: c.visited,
        moving_return: c.movingReturn,
      });
  }
  return [
    writeTable(dir, EXECUTION_RUNS, rows.data()),
    writeTable(dir, EXECUTION_LEARNING_CURVE, curve.data()),
  ];
}
