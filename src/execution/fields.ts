/**
 * What every field of an execution config means, for `quantrl execution --help` and the docs. The
 * defaults are not restated: they are read from the parsed config of each variant, so the help always
 * shows what a run would use.
 */
import { type EnvConfig, parseEnvConfig, parseLearnerConfig, type Variant } from './config.js';

export const VARIANTS: readonly Variant[] = ['deterministic', 'impact', 'order-type', 'noisy-features'];

/** Meaning of each environment field (units in brackets). */
export const ENV_FIELD_MEANING: Record<string, string> = {
  variant: "'deterministic', 'impact', 'order-type' or 'noisy-features'",
  q0: 'lots to sell',
  horizon: 'decision steps N',
  gamma: 'discount factor in [0, 1]',
  terminalPenalty: 'λ_T: penalty λ_T·q_N² on the lots left at the deadline',
  inventoryPenalty: 'per-step penalty on the inventory held (φ·L² or λ_rem·q²)',
  inventoryPenaltyLinear: 'penalise |q| instead of q²',
  actions: 'sorted lot sizes a trader may sell per step, starting with 0 (wait)',
  k: 'temporary impact: selling a lots costs k·a² [ticks per lot²]',
  eta: 'temporary impact η: a sale of a executes η·a ticks below the current price [ticks per lot]',
  kappa: 'permanent impact κ: each lot sold moves the price down κ ticks for good (integer)',
  noise: 'price shock law {values: ticks, probs}, symmetric',
  reward:
    "'is' (shortfall vs the arrival price), 'pi' (vs the current mid) or 'regret' (vs the best price in hindsight)",
  maxSize: 'largest limit or market order L = M [lots]',
  halfSpread: 'half-spread h: a limit order rests h above mid, a market order fills h below [ticks]',
  etaMo: 'market-order impact: m lots fill at mid − h − η_MO·m [ticks per lot]',
  crossPenalty: 'λ_cross: extra cost λ_cross·2h of crossing the spread with a market order',
  crossPerLot: 'charge the crossing penalty per lot',
  fill: "limit-order fills: {kind: 'volume', probs} (law of incoming buy volume 0, 1, …) or {kind: 'all-or-nothing', p}",
  sigmaXi: 'execution noise σ_ξ: a sale of a earns σ_ξ·a·ξ extra, ξ ∈ {−1, 0, +1}',
  xiProbs: 'P(ξ = −1), P(ξ = 0), P(ξ = +1)',
  buckets: 'number B of imbalance buckets of the feature f2',
  beta: 'how strongly f2 predicts the same-step shock ξ (0: the features are irrelevant)',
  projection: "what the learner's table is indexed by: 'minimal' (q, τ) or 'full' (q, τ, f1, f2)",
};

/** Meaning of each learner field. */
export const LEARNER_FIELD_MEANING: Record<string, string> = {
  episodes: 'training budget E (set by --episodes)',
  alpha:
    "learning rate: {kind: 'poly', omega, min} gives max(min, n^−omega) after n visits; {kind: 'const', value}",
  epsilon:
    "exploration: {kind: 'linear', start, end, fraction} falls from start to end over fraction·E episodes; 'exp' decays geometrically; {kind: 'const', value}",
  qInit: 'initial value of every table entry',
  checkpoints: 'learning-curve points recorded during training',
};

const show = (v: unknown) => JSON.stringify(v);

/** The help section listing every `--env` field by variant and every `--learner` field, with defaults. */
export function configFieldsHelp(): string {
  const lines = ['Fields of --env (JSON; fields left out take the default shown):'];
  const common = Object.keys(parseEnvConfig({ variant: 'deterministic' })).filter((k) =>
    VARIANTS.every((v) => k in parseEnvConfig({ variant: v })),
  );
  const row = (k: string, d: unknown) =>
    `    ${k.padEnd(22)} ${ENV_FIELD_MEANING[k] ?? ''} (default ${show(d)})`;
  const det = parseEnvConfig({ variant: 'deterministic' }) as Record<string, unknown>;
  lines.push('  every variant:');
  for (const k of common) if (k !== 'variant') lines.push(row(k, det[k]));
  for (const v of VARIANTS) {
    const c = parseEnvConfig({ variant: v }) as EnvConfig & Record<string, unknown>;
    lines.push(`  variant '${v}':`);
    for (const k of Object.keys(c)) if (!common.includes(k)) lines.push(row(k, c[k]));
  }
  lines.push('Fields of --learner (JSON):');
  const l = parseLearnerConfig({ episodes: 10_000 }) as Record<string, unknown>;
  for (const k of Object.keys(l))
    lines.push(
      `    ${k.padEnd(22)} ${LEARNER_FIELD_MEANING[k] ?? ''}${k === 'episodes' ? '' : ` (default ${show(l[k])})`}`,
    );
  return lines.join('\n');
}
