/**
 * quantrl's library API: closed forms, environments, exact solvers, the Q-learner and the statistics
 * the studies report, for a researcher to call directly. The CLI (`quantrl`) runs the studies. Only
 * `trainQLearner` with engine 'wasm' loads the compiled kernels; everything else is pure TypeScript.
 */

// Gymnasium-style environments of the three studies and their vector forms in WASM.
export type { EnvKind, VectorEngine, VectorEnv, VectorEnvOptions } from './env/vector.js';
export { ENV_KINDS, makeVectorEnv } from './env/vector.js';

// Optimal execution: configs, the MDP, its exact solution and policy evaluation, a Gymnasium-style env,
// the Q-learner, the statistics of a policy, and the closed-form oracles.
export type { RunScore } from './execution/analysis.js';
export type {
  DeterministicConfig,
  EnvConfig,
  EnvInput,
  ImpactConfig,
  LearnerConfig,
  LearnerInput,
  NoisyFeaturesConfig,
  OrderTypeConfig,
  Variant,
} from './execution/config.js';
export { parseEnvConfig, parseLearnerConfig } from './execution/config.js';
export type { DpSolution } from './execution/dp.js';
export { evaluatePolicy, liftPolicy, occupancy, solve, startValue } from './execution/dp.js';
export type { ExecutionMdp } from './execution/env.js';
export { ActionKind, buildMdp } from './execution/env.js';
export type { Observation, StepInfo, StepResult } from './execution/gym.js';
export { ExecutionEnv } from './execution/gym.js';
export { solveHjbGrid } from './execution/hjb.js';
export type { Checkpoint } from './execution/learner.js';
export type { Comparison, PolicyStats } from './execution/metrics.js';
export { compareWithOptimum, greedyPolicy, policyStats } from './execution/metrics.js';
export type {
  AlmgrenChrissParams,
  AlmgrenChrissResult,
  CarteaJaimungalParams,
  RiccatiParams,
} from './execution/oracles.js';
export {
  almgrenChriss,
  almgrenChrissContinuous,
  almgrenChrissTwap,
  bertsimasLoValue,
  carteaJaimungal,
  carteaJaimungalDiscrete,
  impactTwapValue,
  lqRegulator,
  lqRegulatorDiscrete,
  riccatiRelaxation,
  twap,
} from './execution/oracles.js';
// Tidy tables: the one writer (Parquet + CSV) and the schemas of the tables the studies write.
export { EXECUTION_LEARNING_CURVE, EXECUTION_RUNS } from './execution/tables.js';
export type { MonteCarlo } from './execution/tasks.js';
export type { QLearningOptions, QLearningRun } from './execution/train.js';
export { trainQLearner } from './execution/train.js';
export type { Engine, ScalarEngine } from './kernels/engine.js';

// Limit order book (Abergel–Huré–Pham): the model config of a regime.

export type {
  BoxSpace,
  DiscreteSpace,
  EpisodeStats,
  MarketMakingInfo,
  MarketMakingObservation,
  MarketMakingStep,
} from './lob/env.js';
export { MarketMakingEnv, observationRecord } from './lob/env.js';
export type { LobModel, LobModelInput, Regime } from './lob/model.js';
export { REGIMES, resolveModel } from './lob/model.js';

export { LOB_EPISODES } from './lob/tables.js';
export type { LqStudyConfig } from './lq/config.js';
export type { LqInfo, LqObservation, LqStep } from './lq/env.js';
export { LqDiffusionEnv, riccati } from './lq/env.js';
// Continuous-time LQ (Huang–Jia–Zhou 2024): optimal gain, value of a Gaussian policy, regret.
export type { LqModel, ModelBasedSettings, ModelFreeSettings } from './lq/model.js';
export { DEFAULT_MODEL, DEFAULT_MODEL_BASED, DEFAULT_MODEL_FREE } from './lq/model.js';
export {
  cumulativeRegret,
  episodeRegret,
  momentRate,
  optimalGain,
  optimalValue,
  policyValue,
  policyValueParts,
  riccatiRate,
} from './lq/oracle.js';
export { LQ_CHECKPOINTS, LQ_CURVES } from './lq/tables.js';
// Stream keys: the same (experiment, run, seed) → stream mapping the engine uses.
export { fnv1a64, splitmix64, streamKey } from './rng/streams.js';
export type { ColumnSpec, ColumnType, TableSchema } from './store/table.js';
export { defineTable, schemaMarkdown, TABLE_SCHEMA_VERSION, writeTable } from './store/table.js';
