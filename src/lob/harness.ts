/**
 * Evaluation harness: E episodes per strategy with common random numbers — episode e of every strategy
 * draws from streamKey(experiment, run, e) — split into tasks for the runner and reassembled in index
 * order, so the output is identical for any worker count. Custom (learned) policies run in-process on
 * the JS engine with the very same streams.
 */

import { type PolicyModule, policyTaskError } from '../env/policy-module.js';
import type { ScalarEngine } from '../kernels/engine.js';

import { compileKernels } from '../kernels/wasm.js';
import { streamBase } from '../rng/streams.js';
import type { Runner } from '../runner/pool.js';
import { replicate } from '../runner/replicate.js';
import { runEpisodes } from './engines.js';
import { OUT_STRIDE } from './layout.js';
import type { LobModel } from './model.js';
import type { LobPolicy } from './policies.js';
import { type LobSummary, summarize } from './stats.js';

import { LOB_TASK, type LobEpisodesTask } from './tasks.js';
import { LOB_MODULE_TASK, type LobModuleTask, moduleEpisodes } from './user-policy.js';

export interface EvaluationPlan {
  readonly model: LobModel;
  readonly episodes: number;
  /** Experiment id of the evaluation streams (distinct from any training id). */
  readonly experiment: string;
  readonly run: number;
  readonly engine: ScalarEngine;
  /** Episodes per runner task. */
  readonly chunk?: number;
}

/** The stream base of (experiment, run): episode e's key is splitmix64(base ^ e) = streamKey(experiment, run, e). */
export { streamBase };

/** All episode records of one policy (OUT_STRIDE per episode, in episode order). */
export async function evaluateRecords(
  runner: Runner | undefined,
  plan: EvaluationPlan,
  policy: LobPolicy,
): Promise<Float64Array> {
  const base = streamBase(plan.experiment, plan.run);
  const E = plan.episodes;
  if (policy.kind === 'module') return moduleRecords(runner, plan, policy.module);
  if (policy.kind === 'custom' || !runner) {
    // In-process: custom policies on the JS engine, built-in ones on the plan's engine.
    const engine = policy.kind === 'custom' ? 'js' : plan.engine;
    const module = engine === 'wasm' ? await compileKernels('release') : undefined;
    const range = { model: plan.model, policy, study: plan.experiment, run: plan.run, base, from: 0, to: E };
    return runEpisodes(range, engine, module);
  }
  const chunk = plan.chunk ?? 2500;
  const payloads: LobEpisodesTask[] = [];
  for (let from = 0; from < E; from += chunk) {
    payloads.push({
      model: plan.model,
      policy: policy.name,
      study: plan.experiment,
      run: plan.run,
      stickyRho: policy.stickyRho,
      base,
      from,
      to: Math.min(E, from + chunk),
      engine: plan.engine,
    });
  }
  const out = new Float64Array(E * OUT_STRIDE);
  await replicate<LobEpisodesTask, Float64Array>(runner, LOB_TASK, payloads, (i, records) => {
    out.set(records, (payloads[i] as LobEpisodesTask).from * OUT_STRIDE);
  });
  return out;
}

/** A policy module's records: its episodes in tasks (every worker imports the module), or in-process. */
async function moduleRecords(
  runner: Runner | undefined,
  plan: EvaluationPlan,
  module: PolicyModule,
): Promise<Float64Array> {
  const E = plan.episodes;
  if (!runner) return moduleEpisodes(plan.model, module, plan.experiment, plan.run, 0, E);
  const chunk = plan.chunk ?? 2500;
  const payloads: LobModuleTask[] = [];
  for (let from = 0; from < E; from += chunk) {
    payloads.push({
      model: plan.model,
      file: module.file,
      path: module.path,
      experiment: plan.experiment,
      run: plan.run,
      from,
      to: Math.min(E, from + chunk),
    });
  }
  const out = new Float64Array(E * OUT_STRIDE);
  try {
    await replicate<LobModuleTask, Float64Array>(runner, LOB_MODULE_TASK, payloads, (i, records) => {
      out.set(records, (payloads[i] as LobModuleTask).from * OUT_STRIDE);
    });
  } catch (err) {
    throw policyTaskError(err, module);
  }
  return out;
}

/** Summaries of several policies on common random numbers. */
export async function evaluatePolicies(
  runner: Runner | undefined,
  plan: EvaluationPlan,
  policies: readonly LobPolicy[],
): Promise<{ summaries: LobSummary[]; records: Float64Array[] }> {
  const summaries: LobSummary[] = [];
  const records: Float64Array[] = [];
  for (const p of policies) {
    const rec = await evaluateRecords(runner, plan, p);
    records.push(rec);
    summaries.push(summarize(p.name, rec, plan.model.T));
  }
  return { summaries, records };
}
