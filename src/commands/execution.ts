/**
 * `quantrl execution <experiment>`: the optimal-execution study (tabular Q-learning vs the exact
 * optimum of the same MDP). Runs experiment E1–E9 of the spec (or `train` on any configuration, or
 * `all`), replications over the worker pool, and writes summary.json, report.md, plots and .npy
 * tables into --out. Flags are validated before anything is written (exit 2 naming the flag).
 */
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { enforceStrict } from '../checks.js';
import { UsageError } from '../errors.js';
import { parseEnvConfig, parseLearnerConfig } from '../execution/config.js';
import { inlineExecutor, poolExecutor } from '../execution/executor.js';
import {
  EXPERIMENT_IDS,
  EXPERIMENTS,
  type ExperimentId,
  type ExperimentOptions,
  type ExperimentResult,
  RUNNERS,
  train,
} from '../execution/experiments/index.js';
import { printedSummary, writeExperiment } from '../execution/report.js';
import { positiveIntFlag, workersFlag } from '../flags.js';
import { checkWritableDir } from '../lq/config.js';
import { Runner, resolveWorkers } from '../runner/pool.js';

const TARGETS = [...EXPERIMENT_IDS, 'train', 'all'] as const;
type Target = (typeof TARGETS)[number];

/** Experiments that train nothing (no worker pool needed). */
const NO_POOL = new Set<string>(['e8', 'e9']);

export const EXECUTION_HELP = [
  'Experiments (spec §5):',
  ...EXPERIMENT_IDS.map((id) => `  ${id}     ${EXPERIMENTS[id]}`),
  '  train  Q-learning on any --env/--learner configuration, compared with its exact optimum',
  '  all    e1 … e9, each into --out/<id>',
  '',
  '--episodes replaces the experiment’s budget list (comma-separated); --seeds its seed count.',
  'k-of-n criteria scale with --seeds; criteria at budgets not run are reported as skipped.',
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
  episodes: z
    .string()
    .regex(/^\d+(,\d+)*$/, { message: 'must be a positive integer or a comma-separated list of them' })
    .transform((s) => s.split(',').map(Number))
    .refine((l) => l.every((n) => n >= 1 && n <= 100_000_000), { message: 'each budget must be in [1, 1e8]' })
    .optional(),
  seeds: positiveIntFlag(10_000).optional(),
  out: z.string().min(1, { message: 'must be a directory path' }).optional(),
  workers: workersFlag,
  engine: z.enum(['wasm', 'js'], { message: "must be 'wasm' or 'js'" }),
  evalEpisodes: z.coerce
    .number({ message: 'must be a non-negative integer' })
    .int({ message: 'must be a non-negative integer' })
    .min(0, { message: 'must be a non-negative integer' })
    .max(10_000_000, { message: 'must be at most 1e7' }),
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

function parseJson(flag: string, text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${flag}: not valid JSON (${(err as Error).message})`);
  }
}

/** Validates raw CLI options; throws UsageError naming the flag (nothing is written before this). */
export function parseExecutionOptions(target: string, raw: Record<string, unknown>): ExecutionCommandConfig {
  const parsed = schema.safeParse({
    target,
    workers: 'auto',
    engine: 'wasm',
    evalEpisodes: '10000',
    ...Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)),
  });
  if (!parsed.success)
    throw new UsageError(
      parsed.error.issues
        .map((i) => `${FLAG[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`)
        .join('\n'),
    );
  const v = parsed.data;
  const env = parseJson('--env', v.env);
  const learner = parseJson('--learner', v.learner);
  if (v.target !== 'train' && (env !== undefined || learner !== undefined))
    throw new UsageError('--env/--learner: only the train experiment takes a configuration');
  if (learner !== undefined && (typeof learner !== 'object' || learner === null || Array.isArray(learner)))
    throw new UsageError('--learner: must be a JSON object');
  if (v.target === 'train') {
    // validate now: invalid parameters are refused before anything is written
    parseEnvConfig(env ?? { variant: 'impact' }, '--env');
    const l = (learner ?? {}) as Record<string, unknown>;
    parseLearnerConfig({ ...l, episodes: v.episodes?.[0] ?? l.episodes ?? 10_000 }, '--learner');
  }
  const out = v.out ?? join('results', 'execution', v.target);
  checkWritableDir(out);
  return {
    target: v.target,
    episodes: v.episodes,
    seeds: v.seeds,
    out,
    workers: v.workers,
    engine: v.engine,
    evalEpisodes: v.evalEpisodes,
    env,
    learner: learner as Record<string, unknown> | undefined,
  };
}

export function registerExecution(program: Command): void {
  program
    .command('execution')
    .description('optimal execution: tabular Q-learning vs the exact DP optimum, experiments E1–E9')
    .argument('<experiment>', `one of: ${TARGETS.join(', ')}`)
    .option('--episodes <list>', 'training budget(s) E, comma-separated (default: the spec’s)')
    .option('--seeds <n>', 'seeds per configuration (default: the spec’s)')
    .option('--out <dir>', 'output directory (default results/execution/<experiment>)')
    .option('--workers <n>', "worker threads, or 'auto' for one per core", 'auto')
    .option('--engine <name>', "'wasm' (kernel) or 'js' (the TS twin, same stream)", 'wasm')
    .option(
      '--eval-episodes <n>',
      'Monte Carlo episodes for the out-of-sample cost (spec: 10⁴; 0 = skip)',
      '10000',
    )
    .option('--env <json>', 'train: environment config, e.g. \'{"variant":"impact","q0":20}\'')
    .option('--learner <json>', 'train: learner config, e.g. \'{"alpha":{"kind":"poly","omega":0.55}}\'')
    .option('--strict', 'exit 1 when a criterion fails or every criterion was skipped')
    .addHelpText('after', `\n${EXECUTION_HELP}`)
    .action(async (target: string, opts: Record<string, unknown>) => {
      const { strict, ...flags } = opts;
      const results = await runExecutionCommand(parseExecutionOptions(target, flags));
      if (strict === true) enforceStrict(results);
    });
}

/** Runs the configured experiment(s), prints the summaries and writes the files. */
export async function runExecutionCommand(cfg: ExecutionCommandConfig): Promise<ExperimentResult[]> {
  const command = [
    `quantrl execution ${cfg.target}`,
    cfg.episodes ? `--episodes ${cfg.episodes.join(',')}` : '',
    cfg.seeds ? `--seeds ${cfg.seeds}` : '',
    `--out ${cfg.out} --workers ${cfg.workers} --engine ${cfg.engine} --eval-episodes ${cfg.evalEpisodes}`,
    cfg.env !== undefined ? `--env '${JSON.stringify(cfg.env)}'` : '',
    cfg.learner ? `--learner '${JSON.stringify(cfg.learner)}'` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const ids: (ExperimentId | 'train')[] = cfg.target === 'all' ? [...EXPERIMENT_IDS] : [cfg.target];
  const workers = resolveWorkers(cfg.workers);
  const needPool = ids.some((id) => !NO_POOL.has(id));
  const runner = needPool ? await Runner.open({ workers }) : undefined;
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const onSigint = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  const results: ExperimentResult[] = [];
  try {
    for (const id of ids) {
      const started = performance.now();
      const opts: ExperimentOptions & { env?: unknown; learner?: Record<string, unknown> } = {
        exec: runner ? poolExecutor(runner, abort.signal) : inlineExecutor(undefined),
        engine: cfg.engine,
        evalEpisodes: cfg.evalEpisodes,
        ...(cfg.episodes ? { episodes: cfg.episodes } : {}),
        ...(cfg.seeds ? { seeds: cfg.seeds } : {}),
        ...(cfg.env !== undefined ? { env: cfg.env } : {}),
        ...(cfg.learner ? { learner: cfg.learner } : {}),
      };
      const r = id === 'train' ? await train(opts) : await RUNNERS[id](opts);
      const wallSeconds = (performance.now() - started) / 1000;
      const out = cfg.target === 'all' ? join(cfg.out, id) : cfg.out;
      await writeExperiment(out, r, { command, wallSeconds, workers });
      console.log(printedSummary(r));
      console.log(
        `  ${r.steps.toLocaleString('en-US')} training steps, wall ${wallSeconds.toFixed(1)} s → ${out}`,
      );
      results.push(r);
    }
    return results;
  } finally {
    process.off('SIGINT', onSigint);
    await runner?.close();
  }
}
