/**
 * quantrl's library API: closed forms, environments and solvers a researcher may call directly.
 * The CLI (`quantrl`) runs the studies; everything here is pure TypeScript except `makeVectorEnv`'s
 * default engine, which loads the compiled kernels (build/release.wasm).
 */

// Gymnasium-style environments of the three studies, their vector forms in WASM, user policy modules.
export type { EnvKind, VectorEngine, VectorEnv, VectorEnvOptions } from './env/vector.js';
export { ENV_KINDS, makeVectorEnv } from './env/vector.js';
export { parseEnvConfig, parseLearnerConfig } from './execution/config.js';
export { solve } from './execution/dp.js';
export { buildMdp } from './execution/env.js';
export { ExecutionEnv } from './execution/gym.js';
export { solveHjbGrid } from './execution/hjb.js';
// Optimal execution: closed-form oracles, the MDP, its exact solution, a Gymnasium-style env.
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
export { resolveModel as resolveLobModel } from './lob/config.js';
export type {
  BoxSpace,
  DiscreteSpace,
  EpisodeStats,
  MarketMakingInfo,
  MarketMakingObservation,
  MarketMakingStep,
} from './lob/env.js';
export { MarketMakingEnv, observationRecord } from './lob/env.js';
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

// Stream keys: the same (experiment, run, seed) → stream mapping the engine uses.
export { fnv1a64, splitmix64, streamKey } from './rng/streams.js';
