/**
 * The order-book study in sweeps: its config is everything `lob simulate` takes — a regime, the model
 * fields that override the regime's defaults (null: the regime's own value, so a sweep over `regime`
 * gets each regime's book), one built-in policy and the episodes per seed. A seed is a block of
 * episodes: episode e draws from splitmix64(seed key ^ e), so with common streams every policy and
 * regime of seed i meets the same random numbers. Its metrics are the summary of stats.ts.
 */
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { MetricSpec, SeedKey, SweepStudy } from '../sweep/study.js';
import { runEpisodes } from './engines.js';
import { type LobModel, type LobModelInput, lobModelSchema, REGIMES, resolveModel } from './model.js';
import { builtinPolicy, POLICY_NAMES } from './policies.js';
import { summarize } from './stats.js';

const EXPERIMENT = 'lob/sweep';
/** Most episodes per seed (one seed's records stay well below 1 GiB). */
const MAX_EPISODES = 1_000_000;

const shape = lobModelSchema.shape;
const regimeDefault = <T extends z.ZodType>(field: T) =>
  (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field)
    .nullable()
    .default(null)
    .describe("null: the regime's default");

export const lobStudySchema = z
  .strictObject({
    regime: z
      .enum(REGIMES, { message: `must be one of ${REGIMES.join(', ')}` })
      .default('const')
      .describe('intensity regime; its defaults fill every model field left null'),
    trend: regimeDefault(shape.trend),
    T: regimeDefault(shape.T),
    K: regimeDefault(shape.K),
    aInf: regimeDefault(shape.aInf),
    bInf: regimeDefault(shape.bInf),
    boundary: regimeDefault(shape.boundary),
    timeScale: regimeDefault(shape.timeScale),
    actions: regimeDefault(shape.actions),
    l2: regimeDefault(shape.l2),
    cancelRule: regimeDefault(shape.cancelRule),
    liquidation: regimeDefault(shape.liquidation),
    intensityCountsMM: regimeDefault(shape.intensityCountsMM),
    peg: regimeDefault(shape.peg),
    maxEvents: regimeDefault(shape.maxEvents),
    eta: regimeDefault(shape.eta),
    intensities: regimeDefault(shape.intensities),
    initial: regimeDefault(shape.initial),
    policy: z
      .enum(POLICY_NAMES, { message: `must be one of ${POLICY_NAMES.join(', ')}` })
      .default('11')
      .describe('built-in market-making policy'),
    stickyRho: z
      .number()
      .min(0, { message: 'must be in [0, 1]' })
      .max(1, { message: 'must be in [0, 1]' })
      .default(0.8)
      .describe("policy 'sticky': probability of keeping the previous action"),
    episodes: z
      .number({ message: 'must be a positive integer' })
      .int({ message: 'must be a positive integer' })
      .min(1, { message: 'must be a positive integer' })
      .max(MAX_EPISODES, { message: `must be at most ${MAX_EPISODES}` })
      .default(10_000)
      .describe('episodes per seed (the per-seed metrics are over these)'),
    engine: z
      .enum(['wasm', 'js'], { message: "must be 'wasm' or 'js'" })
      .default('wasm')
      .describe('both give identical bits'),
  })
  .superRefine((c, ctx) => {
    try {
      lobModel(c);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      // resolveModel names the field first: `K: …`, `initial.a: …`, `intensities.L.1: …`
      const cut = err.message.indexOf(': ');
      const path = err.message.slice(0, cut).split('.');
      const field = path[0] ?? '';
      if (cut > 0 && field in c) ctx.addIssue({ code: 'custom', path, message: err.message.slice(cut + 2) });
      else ctx.addIssue({ code: 'custom', path: [], message: err.message });
    }
  });

export type LobStudyConfig = z.output<typeof lobStudySchema>;

const MODEL_FIELDS = Object.keys(lobModelSchema.shape).filter((k) => k !== 'regime');

/** The model of a config: the regime's defaults overlaid with the fields that are set. */
export function lobModel(c: LobStudyConfig): LobModel {
  const overrides: Record<string, unknown> = {};
  for (const k of MODEL_FIELDS) {
    const v = (c as Record<string, unknown>)[k];
    if (v !== null && v !== undefined) overrides[k] = v;
  }
  return resolveModel(c.regime, overrides as Partial<LobModelInput>);
}

const METRICS: MetricSpec[] = [
  { name: 'mean_pnl', unit: 'ticks', doc: 'mean terminal P&L over the seed’s episodes' },
  { name: 'sd_pnl', unit: 'ticks', doc: 'sample sd of the terminal P&L over the seed’s episodes' },
  { name: 'p_loss_le_2', unit: '', doc: 'share of episodes with P&L ≤ −2' },
  { name: 'cvar_5', unit: 'ticks', doc: 'mean P&L of the worst 5 % of episodes (⌈0.05·E⌉)' },
  { name: 'fills', unit: 'fills', doc: 'MM fills per episode, both sides' },
  { name: 'fills_ask', unit: 'fills', doc: 'MM sell (ask) fills per episode' },
  { name: 'fills_bid', unit: 'fills', doc: 'MM buy (bid) fills per episode' },
  { name: 'abs_inventory', unit: 'units', doc: 'mean |y_T| before the close-out' },
];

function runSeeds(
  c: LobStudyConfig,
  seeds: readonly SeedKey[],
  module: WebAssembly.Module,
  run: number,
): Float64Array[] {
  const model = lobModel(c);
  const policy = builtinPolicy(c.policy, c.stickyRho);
  return seeds.map((k) => {
    const range = { model, policy, study: EXPERIMENT, run, base: k.key, from: 0, to: c.episodes };
    const s = summarize(policy.name, runEpisodes(range, c.engine, module), model.T);
    return Float64Array.of(
      s.mean,
      s.sd,
      s.probLossLe2,
      s.cvar5,
      s.fillsAsk + s.fillsBid,
      s.fillsAsk,
      s.fillsBid,
      s.meanAbsInventory,
    );
  });
}

export const lobSweepStudy: SweepStudy<LobStudyConfig> = {
  name: 'lob',
  description: 'market making in the microstructural order book: built-in policies across regimes',
  schema: lobStudySchema,
  defaults: lobStudySchema.parse({}),
  experiment: () => EXPERIMENT,
  metrics: () => METRICS,
  headline: ['mean_pnl', 'sd_pnl', 'cvar_5', 'abs_inventory'],
  // a rough 40 events per unit of scaled time at ~80 ns each, capped by N
  cost: (c) => {
    const m = lobModel(c);
    return c.episodes * Math.min(m.maxEvents, 40 * m.T * m.timeScale + 10) * 80;
  },
  runSeeds: (c, seeds, ctx, run) => runSeeds(c, seeds, ctx.module, run),
};
