/**
 * `quantrl execution <experiment>`: the optimal-execution study (tabular Q-learning vs the exact
 * optimum of the same MDP). Runs experiment E1–E9 of the spec (or `train` on any configuration, or
 * `all`), replications over the worker pool, and writes summary.json, report.md, plots and .npy
 * tables into --out. Flags are validated before anything is written (exit 2 naming the flag).
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { enforceStrict } from '../checks.js';
import { loadPolicyModule } from '../env/policy-module.js';
import { UsageError } from '../errors.js';
import {
  envSchema,
  envSize,
  learnerSchema,
  parseEnvConfig,
  parseLearnerConfig,
} from '../execution/config.js';
import { inlineExecutor, poolExecutor } from '../execution/executor.js';
import {
  DEFAULT_SIZES,
  EXPERIMENT_IDS,
  EXPERIMENTS,
  type ExperimentId,
  type ExperimentOptions,
  type ExperimentResult,
  RUNNERS,
  train,
} from '../execution/experiments/index.js';
import { configFieldsHelp } from '../execution/fields.js';
import { experimentSummary, printedSummary, writeExperiment } from '../execution/report.js';
import { solved } from '../execution/solved.js';
import {
  checkExecutionPolicy,
  EVALUATE_CHUNK,
  EXECUTION_EVALUATE_EXPERIMENT,
  evaluateExecutionPolicy,
} from '../execution/user-policy.js';
import {
  intListFlag,
  nonNegativeIntFlag,
  parseFlags,
  positiveIntFlag,
  readJsonConfig,
  unknownKeys,
  withFlags,
  workersFlag,
} from '../flags.js';
import { resolveWorkers } from '../runner/pool.js';
import { type MemoryNeed, replayableCommand, runSession, type SessionPlan } from './session.js';

const TARGETS = [...EXPERIMENT_IDS, 'train', 'all'] as const;
type Target = (typeof TARGETS)[number];

/** Experiments that train nothing (no worker pool needed). */
const NO_POOL = new Set<string>(['e8', 'e9']);

export const EXECUTION_HELP = [
  'Experiments (default size in brackets):',
  ...EXPERIMENT_IDS.map((id) => `  ${id}     ${EXPERIMENTS[id]}\n         [${DEFAULT_SIZES[id]}]`),
  '  train  Q-learning on any --env/--learner configuration, compared with its exact optimum',
  `         [${DEFAULT_SIZES.train}]`,
  '  all    e1 … e9, each into --out/<id>',
  '  evaluate  a --policy module on --env beside the DP optimum (common random numbers, --eval-episodes)',
  '',
  '--episodes replaces the experiment’s budget list (comma-separated); --seeds its seed count.',
  'k-of-n criteria scale with --seeds; criteria at budgets not run are reported as not judged.',
  '',
  configFieldsHelp(),
  '',
  'The model, the learner and every experiment are explained in docs/optimal-execution.md.',
].join('\n');

export interface ExecutionCommandConfig {
  readonly target: Target;
  readonly episodes: number[] | undefined;
  readonly seeds: number | undefined;
  readonly out: string;
  readonly workers: number | 'auto';
  readonly engine: 'wasm' | 'js';
  readonly evalEpisodes: number;
  readonly env: unknown;
  readonly learner: Record<string, unknown> | undefined;
}

const schema = z.object({
  target: z.enum(TARGETS, { message: `must be one of: ${TARGETS.join(', ')}` }),
  episodes: intListFlag({ min: 1, max: 100_000_000 }).optional(),
  seeds: positiveIntFlag(10_000).optional(),
  out: z.string().min(1, { message: 'must be a directory path' }).optional(),
  workers: workersFlag,
  engine: z.enum(['wasm', 'js'], { message: "must be 'wasm' or 'js'" }),
  evalEpisodes: nonNegativeIntFlag(10_000_000),
  env: z.string().optional(),
  learner: z.string().optional(),
});

const FLAG: Record<string, string> = {
  target: '<experiment>',
  episodes: '--episodes',
  seeds: '--seeds',
  out: '--out',
  workers: '--workers',
  engine: '--engine',
  evalEpisodes: '--eval-episodes',
  env: '--env',
  learner: '--learner',
};

/** Refuses keys a config schema does not know (`--env: unknown key 'qzero' (did you mean 'q0'?)`). */
function refuseUnknownKeys(schema: z.ZodType, value: unknown, flag: string): void {
  const unknown = unknownKeys(schema, value);
  if (unknown.length)
    throw new UsageError(
      unknown.map((u) => `${[flag, ...u.path.map(String)].join('.')}: ${u.message}`).join('\n'),
    );
}

/** Validates raw CLI options; throws UsageError naming the flag (nothing is written before this). */
export function parseExecutionOptions(target: string, raw: Record<string, unknown>): ExecutionCommandConfig {
  const v = parseFlags(
    schema,
    {
      target,
      workers: 'auto',
      engine: 'wasm',
      evalEpisodes: '10000',
      ...Object.fromEntries(Object.entries(raw).filter(([, x]) => x !== undefined)),
    },
    FLAG,
  );
  const env = v.env === undefined ? undefined : readJsonConfig('--env', v.env, 'inline');
  let learner = v.learner === undefined ? undefined : readJsonConfig('--learner', v.learner, 'inline');
  if (v.target !== 'train' && (env !== undefined || learner !== undefined))
    throw new UsageError('--env/--learner: only the train experiment takes a configuration');
  if (v.target === 'train') {
    // validated now: invalid parameters are refused before anything is written
    if (env !== undefined) refuseUnknownKeys(envSchema, env, '--env');
    if (learner !== undefined) refuseUnknownKeys(learnerSchema, learner, '--learner');
    parseEnvConfig(env ?? { variant: 'impact' }, '--env');
    // precedence: --episodes (a flag) wins over the learner's `episodes` key
    learner = withFlags(learner ?? {}, { episodes: v.episodes?.[0] });
    parseLearnerConfig({ episodes: 10_000, ...learner }, '--learner');
  }
  const out = v.out ?? join('results', 'execution', v.target);
  return {
    target: v.target,
    episodes: v.episodes,
    seeds: v.seeds,
    out,
    workers: v.workers,
    engine: v.engine,
    evalEpisodes: v.evalEpisodes,
    env,
    learner,
  };
}

export function registerExecution(program: Command): void {
  program
    .command('execution')
    .description('optimal execution: tabular Q-learning vs the exact DP optimum, experiments E1–E9')
    .argument('<experiment>', `one of: ${TARGETS.join(', ')}`)
    .option(
      '--episodes <list>',
      'training budget(s) E, comma-separated (default: the experiment’s, listed below)',
    )
    .option('--seeds <n>', 'seeds per configuration (default: the experiment’s, listed below)')
    .option('--out <dir>', 'output directory (default: results/execution/<experiment>)')
    .option('--workers <n>', "worker threads, or 'auto' for one per core", 'auto')
    .option('--engine <name>', "'wasm' (kernel) or 'js' (the TS twin, same stream)", 'wasm')
    .option(
      '--eval-episodes <n>',
      'Monte Carlo episodes for the out-of-sample cost of each run evaluated (0 = skip)',
      '10000',
    )
    .option(
      '--env <json>',
      'train: environment config, e.g. \'{"variant":"impact","q0":20}\' (fields below) (default: {"variant":"impact"})',
    )
    .option(
      '--learner <json>',
      'train: learner config, e.g. \'{"alpha":{"kind":"poly","omega":0.55}}\' (fields below) (default: every field at its default)',
    )
    .option(
      '--policy <file>',
      'evaluate: an ES module exporting act/actBatch, compared with the DP optimum (required by evaluate; default: none)',
    )
    .addHelpText('after', `\n${EXECUTION_HELP}`)
    .option('--strict', 'exit 1 when a criterion fails or every criterion was skipped (default: off)')
    .action(async (target: string, opts: Record<string, unknown>, cmd: Command) => {
      if (target === 'evaluate') return runEvaluate(opts, replayableCommand(cmd));
      if (opts.policy !== undefined)
        throw new UsageError('--policy: only `execution evaluate` takes a policy module');
      const { strict, ...flags } = opts;
      const results = await runExecutionCommand(parseExecutionOptions(target, flags), replayableCommand(cmd));
      if (strict === true) enforceStrict(results);
    });
}

/**
 * `execution evaluate --policy <file> [--env json] [--eval-episodes n] [--workers n]`: the module
 * checked on a first observation, then imported by every worker of the pool, which runs ranges of
 * episodes of it, π* and "sell the feasible maximum now" on the same streams.
 */
async function runEvaluate(opts: Record<string, unknown>, command: string): Promise<void> {
  if (typeof opts.policy !== 'string') throw new UsageError('--policy: evaluate needs a policy module file');
  const v = parseFlags(
    schema.pick({ evalEpisodes: true, out: true, workers: true }),
    { evalEpisodes: opts.evalEpisodes ?? '10000', out: opts.out, workers: opts.workers ?? 'auto' },
    FLAG,
  );
  if (v.evalEpisodes < 1) throw new UsageError('--eval-episodes: evaluate needs at least one episode');
  const envConfig =
    opts.env === undefined ? { variant: 'impact' } : readJsonConfig('--env', opts.env as string, 'inline');
  refuseUnknownKeys(envSchema, envConfig, '--env');
  const env = parseEnvConfig(envConfig, '--env');
  const module = await loadPolicyModule(opts.policy);
  checkExecutionPolicy(solved(env).mdp, module, 0);
  const out = v.out ?? join('results', 'execution', 'evaluate');
  const size = envSize(env);
  const jobs = Math.ceil(v.evalEpisodes / EVALUATE_CHUNK);
  const tables = size.tableBytes * 2; // the MDP's tables and the DP solution, per thread
  const plan: SessionPlan = {
    study: 'optimal-execution',
    out,
    command,
    config: { target: 'evaluate', policy: opts.policy, env: envConfig, evalEpisodes: v.evalEpisodes, out },
    workers: v.workers,
    jobs,
    memory: {
      flag: '--env',
      kernelBytes: 0,
      largestBlockBytes: 0,
      workerHostBytes: tables + 3 * EVALUATE_CHUNK * 8,
      mainBytes: tables + 4 * v.evalEpisodes * 8,
      fileBytes: 2 ** 20,
    },
    progress: { unit: `blocks of ${EVALUATE_CHUNK} episodes`, total: jobs },
  };
  const result = await runSession(plan, async (s) => {
    const r = await evaluateExecutionPolicy(s.runner, env, module, v.evalEpisodes, 0);
    s.phase('write');
    s.writeSummary('', { streams: { experiment: EXECUTION_EVALUATE_EXPERIMENT, run: 0 }, ...r });
    return r;
  });
  console.log(`optimal value V* = ${result.optimalValue.toFixed(4)}, ${result.episodes} episodes per policy`);
  for (const p of result.policies) console.log(`${p.policy}: ${p.mean.toFixed(4)} ± ${p.se.toFixed(4)}`);
  console.log(
    `paired user − optimal: ${result.pairedVsOptimal.mean.toFixed(4)} ± ${result.pairedVsOptimal.se.toFixed(4)}`,
  );
}

/** Default seed count of `train` (experiments E1–E9 state their own). */
const TRAIN_SEEDS = 10;
/** Memory of one run's tables for the fixed experiments E1–E9 (their environments are small). */
const EXPERIMENT_TABLE_BYTES = 64 * 2 ** 20;

/**
 * Size before work: every worker builds its own copy of the tables (host arrays, then the kernel's
 * copy) and the main thread one more for the exact analysis.
 */
export function executionMemory(cfg: ExecutionCommandConfig): MemoryNeed {
  let tables = EXPERIMENT_TABLE_BYTES;
  let flag = '--seeds';
  if (cfg.target === 'train') {
    const size = envSize(parseEnvConfig(cfg.env ?? { variant: 'impact' }, '--env'));
    tables = size.tableBytes + size.learnerBytes;
    flag = '--env';
  }
  return {
    flag,
    kernelBytes: tables + 2 ** 20,
    largestBlockBytes: cfg.target === 'train' ? tables : 0,
    workerHostBytes: tables,
    mainBytes: tables,
    fileBytes: 4 * tables,
  };
}

export function executionPlan(cfg: ExecutionCommandConfig, command: string): SessionPlan {
  const ids = cfg.target === 'all' ? [...EXPERIMENT_IDS] : [cfg.target];
  const pooled = ids.some((id) => !NO_POOL.has(id));
  // experiments run their seeds (× arms) as tasks: at least `seeds` of them
  const jobs = pooled
    ? (cfg.seeds ?? (cfg.target === 'train' ? TRAIN_SEEDS : resolveWorkers(cfg.workers)))
    : 0;
  return {
    study: 'optimal-execution',
    out: cfg.out,
    command,
    config: cfg,
    workers: cfg.workers,
    jobs,
    memory: executionMemory(cfg),
    progress: { unit: 'runs' },
  };
}

/** Runs the configured experiment(s) in one session (`all` commits once, at the end), then prints. */
export async function runExecutionCommand(
  cfg: ExecutionCommandConfig,
  command: string,
): Promise<ExperimentResult[]> {
  const ids: (ExperimentId | 'train')[] = cfg.target === 'all' ? [...EXPERIMENT_IDS] : [cfg.target];
  const done = await runSession(executionPlan(cfg, command), async (s) => {
    const results: { r: ExperimentResult; wallSeconds: number }[] = [];
    for (const id of ids) {
      const started = performance.now();
      const opts: ExperimentOptions & { env?: unknown; learner?: Record<string, unknown> } = {
        exec:
          s.threads > 0 && !NO_POOL.has(id) ? poolExecutor(s.runner, s.signal) : inlineExecutor(undefined),
        engine: cfg.engine,
        evalEpisodes: cfg.evalEpisodes,
        ...(cfg.episodes ? { episodes: cfg.episodes } : {}),
        ...(cfg.seeds ? { seeds: cfg.seeds } : {}),
        ...(cfg.env !== undefined ? { env: cfg.env } : {}),
        ...(cfg.learner ? { learner: cfg.learner } : {}),
      };
      const r = id === 'train' ? await train(opts) : await RUNNERS[id](opts);
      const wallSeconds = (performance.now() - started) / 1000;
      s.phase('write');
      const sub = cfg.target === 'all' ? id : '';
      await writeExperiment(join(s.dir, sub), r, {
        command: s.plan.command,
        wallSeconds,
        workers: s.threads,
      });
      s.throwIfInterrupted();
      s.writeSummary(sub, { ...experimentSummary(r), wallSeconds });
      results.push({ r, wallSeconds });
    }
    if (cfg.target === 'all')
      s.writeSummary('', {
        pass: results.every(({ r }) => r.pass),
        experiments: results.map(({ r, wallSeconds }) => ({ id: r.id, pass: r.pass, wallSeconds })),
      });
    return results;
  });
  for (const { r, wallSeconds } of done) {
    console.log(printedSummary(r));
    const where = cfg.target === 'all' ? join(cfg.out, r.id) : cfg.out;
    console.log(
      `  ${r.steps.toLocaleString('en-US')} training steps, wall ${wallSeconds.toFixed(1)} s → ${where}`,
    );
  }
  return done.map(({ r }) => r);
}
