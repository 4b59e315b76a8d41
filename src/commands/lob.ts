/**
 * `quantrl lob simulate` (one policy) and `quantrl lob compare` (several policies on common random
 * numbers) on the microstructural order book of Abergel–Huré–Pham (spec qknn-market-making §1–§3, §5).
 * Every flag is validated before anything is written; outputs go to --out: summary.json, the P&L
 * histogram (PNG + SVG), and the printed table.
 */
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import {
  nonNegativeIntFlag,
  numberFlag,
  parseFlags,
  positiveIntFlag,
  readJsonConfig,
  unknownKeys,
  workersFlag,
} from '../flags.js';
import type { ScalarEngine } from '../kernels/engine.js';
import { evaluatePolicies } from '../lob/harness.js';
import { OUT_STRIDE } from '../lob/layout.js';
import { type LobModel, type LobModelInput, lobModelSchema, REGIMES, resolveModel } from '../lob/model.js';
import { builtinPolicy, type LobPolicy, modulePolicy, POLICY_NAMES } from '../lob/policies.js';
import { histogramChart, histogramText, lobReport, pairedDifference, summaryTable } from '../lob/report.js';
import { writeLobTables } from '../lob/tables.js';
import { loadLobPolicy } from '../lob/user-policy.js';
import { machineInfo } from '../machine.js';
import { writeChart } from '../report/plots.js';
import { writeFileAtomic } from '../store/atomic.js';
import { TABLE_SCHEMA_VERSION } from '../store/table.js';
import { replayableCommand, runSession, type SessionPlan } from './session.js';

/** Version of the study's summary.json fields (documented field by field in the README). */
export const LOB_SUMMARY_SCHEMA = 2;

interface LobOptions {
  regime: string;
  trend?: string;
  T?: string;
  K?: string;
  aInf?: string;
  bInf?: string;
  boundary?: string;
  timeScale?: string;
  actions?: string;
  l2?: string;
  cancelRule?: string;
  liquidation?: string;
  countsMm?: boolean;
  peg?: boolean;
  maxEvents?: string;
  eta?: string;
  intensities?: string;
  episodes: string;
  stickyRho: string;
  run: string;
  workers: string;
  engine: string;
  out: string;
}

/** Model field → the flag that sets it (errors name the flag). */
const FIELD_FLAGS: Record<string, string> = {
  regime: '--regime',
  trend: '--trend',
  T: '--T',
  K: '--K',
  aInf: '--a-inf',
  bInf: '--b-inf',
  boundary: '--boundary',
  timeScale: '--time-scale',
  actions: '--actions',
  l2: '--l2',
  cancelRule: '--cancel-rule',
  liquidation: '--liquidation',
  maxEvents: '--max-events',
  eta: '--eta',
  intensities: '--intensities',
  initial: '--regime',
};

/** Episodes per pool task (the harness's default chunk). */
const CHUNK = 2500;
/** Most episodes per policy (the records of one policy stay below 1 GiB). */
const MAX_EPISODES = 10_000_000;

const optionalNumber = numberFlag.optional();
const flagSchema = z.object({
  trend: optionalNumber,
  T: optionalNumber,
  K: optionalNumber,
  aInf: optionalNumber,
  bInf: optionalNumber,
  timeScale: optionalNumber,
  maxEvents: optionalNumber,
  eta: optionalNumber,
  episodes: positiveIntFlag(MAX_EPISODES),
  stickyRho: numberFlag.refine((r) => r >= 0 && r <= 1, { message: 'must be in [0, 1]' }),
  run: nonNegativeIntFlag(2 ** 31),
  workers: workersFlag,
  engine: z.enum(['wasm', 'js'], { message: "must be 'wasm' or 'js'" }),
  out: z.string().min(1, { message: 'must be a directory path' }),
});
type LobFlags = z.output<typeof flagSchema>;

const FLAG_NAMES: Record<string, string> = {
  ...FIELD_FLAGS,
  stickyRho: '--sticky-rho',
  episodes: '--episodes',
  run: '--run',
  workers: '--workers',
  engine: '--engine',
  out: '--out',
};

function numericFlags(o: LobOptions): LobFlags {
  const raw = Object.fromEntries(
    Object.keys(flagSchema.shape)
      .map((k) => [k, (o as unknown as Record<string, unknown>)[k]])
      .filter(([, v]) => v !== undefined),
  );
  return parseFlags(flagSchema, raw, FLAG_NAMES);
}

/** The validated model of the flags; UsageError names the flag. */
export function modelFromFlags(o: LobOptions): LobModel {
  const n = numericFlags(o);
  const overrides: Record<string, unknown> = {};
  const set = (field: string, v: unknown) => {
    if (v !== undefined) overrides[field] = v;
  };
  for (const k of ['trend', 'T', 'K', 'aInf', 'bInf', 'timeScale', 'maxEvents', 'eta'] as const) set(k, n[k]);
  set('boundary', o.boundary);
  set('actions', o.actions);
  set('l2', o.l2);
  set('cancelRule', o.cancelRule);
  set('liquidation', o.liquidation);
  if (o.countsMm) overrides.intensityCountsMM = true;
  if (o.peg) overrides.peg = true;
  if (o.intensities !== undefined) {
    const intensities = readJsonConfig('--intensities', o.intensities, 'file');
    const unknown = unknownKeys(lobModelSchema, { intensities });
    if (unknown.length)
      throw new UsageError(
        unknown.map((u) => `--intensities: ${u.path.map(String).join('.')}: ${u.message}`).join('\n'),
      );
    overrides.intensities = intensities;
  }
  // A new K without explicit initial queues: the regime's default book of that depth.
  if (overrides.K !== undefined && o.regime === 'ahp')
    throw new UsageError('--K: R-ahp is defined for K = 2');
  try {
    return resolveModel(o.regime, overrides as Partial<LobModelInput>);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    const path = err.message.slice(0, err.message.indexOf(': '));
    const field = path.split('.', 1)[0] ?? '';
    const flag = FIELD_FLAGS[field];
    if (!flag) throw err;
    // `T: …` → `--T: …`; nested paths keep their location (`--intensities: intensities.L.1.3: …`).
    throw new UsageError(
      path === field ? `${flag}${err.message.slice(path.length)}` : `${flag}: ${err.message}`,
    );
  }
}

interface Plan {
  model: LobModel;
  policies: LobPolicy[];
  episodes: number;
  run: number;
  workers: number | 'auto';
  stickyRho: number;
  engine: ScalarEngine;
  out: string;
}

function planFromFlags(o: LobOptions, policyNames: readonly string[], policyFlag: string): Plan {
  const n = numericFlags(o);
  const model = modelFromFlags(o);
  const policies = policyNames.map((p) => builtinPolicy(p, n.stickyRho, policyFlag));
  return {
    model,
    policies,
    episodes: n.episodes,
    run: n.run,
    workers: n.workers,
    stickyRho: n.stickyRho,
    engine: n.engine,
    out: n.out,
  };
}

const EXPERIMENT = 'lob/evaluate';

/** Whether a --policy value names a module file rather than a built-in policy. */
function isModule(v: string): boolean {
  return /\.[cm]?js$/.test(v) || v.includes('/') || v.includes('\\');
}

/** Appends a user policy module, checked on a first observation (UsageError naming the file). */
async function withModule(plan: Plan, file: string | undefined): Promise<Plan> {
  if (file === undefined) return plan;
  const module = await loadLobPolicy(file, plan.model, EXPERIMENT, plan.run);
  return { ...plan, policies: [...plan.policies, modulePolicy(module)] };
}

/** Size before work: all episode records of every policy are kept (and sorted once for quantiles). */
function lobPlan(plan: Plan, command: string): SessionPlan {
  const P = plan.policies.length;
  const jobs = Math.ceil(plan.episodes / CHUNK) * P;
  const records = plan.episodes * OUT_STRIDE * 8;
  return {
    study: 'lob-baselines',
    out: plan.out,
    command,
    config: {
      model: plan.model,
      policies: plan.policies.map((p) => p.name),
      stickyRho: plan.stickyRho,
      episodes: plan.episodes,
      run: plan.run,
      engine: plan.engine,
      workers: plan.workers,
      out: plan.out,
    },
    workers: plan.workers,
    jobs,
    memory: {
      flag: '--episodes',
      kernelBytes: 16 * 2 ** 20 + CHUNK * OUT_STRIDE * 8,
      largestBlockBytes: CHUNK * OUT_STRIDE * 8,
      workerHostBytes: 2 * CHUNK * OUT_STRIDE * 8,
      mainBytes: (P + 2) * records,
      fileBytes: 4 * 2 ** 20,
    },
    progress: { unit: `blocks of ${CHUNK} episodes`, total: jobs },
  };
}

async function execute(plan: Plan, command: string): Promise<void> {
  const done = await runSession(lobPlan(plan, command), async (s) => {
    const result = await evaluatePolicies(
      s.runner,
      {
        model: plan.model,
        episodes: plan.episodes,
        experiment: EXPERIMENT,
        run: plan.run,
        engine: plan.engine,
      },
      plan.policies,
    );
    const { summaries, records } = result;
    const ref = records[0] as Float64Array;
    const differences = Object.fromEntries(
      records
        .slice(1)
        .map((r, i) => [`${summaries[i + 1]?.policy} − ${summaries[0]?.policy}`, pairedDifference(r, ref)]),
    );
    s.phase('write');
    const title = `P&L, ${plan.model.regime}, T = ${plan.model.T}, ${plan.episodes} episodes`;
    await writeChart(histogramChart(summaries, title), join(s.dir, 'lob-pnl-histogram'));
    const tables = writeLobTables(
      s.dir,
      summaries.map((x) => x.policy),
      records,
    );
    s.throwIfInterrupted();
    writeFileAtomic(
      join(s.dir, 'report.md'),
      lobReport({
        model: plan.model,
        episodes: plan.episodes,
        summaries,
        differences,
        command: s.plan.command,
        machine: machineInfo(),
        workers: s.threads,
        wallSeconds: s.wallSeconds,
        files: [
          'lob-pnl-histogram.png',
          'lob-pnl-histogram.svg',
          ...tables.flatMap((t) => [basename(t.parquet), basename(t.csv)]),
          'report.md',
          'summary.json',
        ],
        chart: 'lob-pnl-histogram.png',
      }),
    );
    s.writeSummary('', {
      schemaVersion: LOB_SUMMARY_SCHEMA,
      tableSchemaVersion: TABLE_SCHEMA_VERSION,
      model: plan.model,
      episodes: plan.episodes,
      streams: {
        experiment: EXPERIMENT,
        run: plan.run,
        note: 'episode e uses streamKey(experiment, run, e) for every policy',
      },
      engine: plan.engine,
      policies: summaries,
      pairedDifferences: differences,
    });
    return { summaries, differences, wallSeconds: s.wallSeconds };
  });
  const { summaries, differences } = done;
  console.log(
    `${plan.model.regime}, T = ${plan.model.T}, ${plan.episodes} episodes per policy (common random numbers)`,
  );
  console.log(summaryTable(summaries));
  for (const [name, d] of Object.entries(differences))
    console.log(`paired ${name}: ${d.mean.toFixed(3)} ± ${d.se.toFixed(3)}`);
  console.log(
    `P&L histogram (${summaries[0]?.policy}):\n${histogramText(summaries[0] as (typeof summaries)[number])}`,
  );
  console.log(`wall ${done.wallSeconds.toFixed(2)} s → ${plan.out} (lob-pnl-histogram.png)`);
}

const REGIME = "(default: the regime's, see the table below)";

/** Regime defaults of the options whose default depends on --regime, read from the resolved models. */
function regimeTable(): string {
  const fields = [
    ['--K', 'K'],
    ['--a-inf', 'aInf'],
    ['--b-inf', 'bInf'],
    ['--boundary', 'boundary'],
    ['--T', 'T'],
    ['--trend', 'trend'],
    ['--time-scale', 'timeScale'],
    ['--max-events', 'maxEvents'],
  ] as const;
  const models = REGIMES.map((r) => resolveModel(r));
  const cell = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : String(v));
  const head = `  ${'option'.padEnd(13)}${REGIMES.map((r) => r.padEnd(11)).join('')}`.trimEnd();
  const rows = fields.map(([flag, key]) =>
    `  ${flag.padEnd(13)}${models.map((m) => cell(m[key]).padEnd(11)).join('')}`.trimEnd(),
  );
  const m0 = resolveModel('const');
  return [
    'Defaults per regime (--regime):',
    head,
    ...rows,
    `  intensities: const = constant rates (limit ${'2'}/level, cancel 0.5/unit, market 5/side); hlr, hlr-dev =`,
    '  queue-reactive curves of Huang–Lehalle–Rosenbaum; ahp = the setting posted with the authors’ code.',
    `  Every regime: --actions ${m0.actions}, --l2 ${m0.l2}, --cancel-rule ${m0.cancelRule}, --liquidation ${m0.liquidation},`,
    `  --eta ${m0.eta}, --peg and --counts-mm off.`,
    '',
    'Policies: 11 = one order at each best quote, always (the benchmark); 00 = never quote (P&L 0);',
    '  random = a uniformly random action each decision; sticky = keep the previous action w.p. ρ,',
    '  else random; skew = both sides when flat, only the side that reduces the inventory otherwise.',
    'Action classes: A1lim = none/ask/bid/both at the best quotes (4); A2lim = one order per side at',
    '  the best or second level (9); A2lim16 = up to one order at each of the two levels per side (16).',
    '',
    'The model, the regimes and the outputs are explained in docs/lob.md.',
  ].join('\n');
}

function modelOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--regime <name>', `intensity regime: ${REGIMES.join(' | ')} (required)`)
    .option('--trend <kappa>', `trend κ: buy market orders ×(1+κ), sell market orders ×(1−κ) ${REGIME}`)
    .option('--T <t>', `horizon T ${REGIME}`)
    .option('--K <k>', `price levels kept per side ${REGIME}`)
    .option('--a-inf <n>', `units assumed beyond the ask window (boundary rule) ${REGIME}`)
    .option('--b-inf <n>', `units assumed beyond the bid window (boundary rule) ${REGIME}`)
    .option(
      '--boundary <rule>',
      `'reservoir' (a reservoir level at K+1) or 'refill' (level K := a∞) ${REGIME}`,
    )
    .option('--time-scale <c>', `multiplies every intensity ${REGIME}`)
    .option(
      '--actions <class>',
      "action class: 'A1lim' (4 actions), 'A2lim' (9) or 'A2lim16' (16; see below) (default: \"A1lim\")",
    )
    .option(
      '--l2 <rule>',
      "where an A2lim second-level order goes: 'next_nonempty' (the others' second non-empty level) or 'one_tick' (default: \"next_nonempty\")",
    )
    .option(
      '--cancel-rule <rule>',
      "whether a cancellation removes orders ahead of the market maker's: 'uniform' (w.p. (r−1)/a), 'behind' or 'ahead' (default: \"uniform\")",
    )
    .option(
      '--liquidation <rule>',
      "final inventory liquidation: 'walk' (walk the book from the best quote) or 'walk_plus_one_tick' (default: \"walk\")",
    )
    .option(
      '--peg',
      "the authors' pegging: an improved-upon best-quote order moves to the new best at rank 2 (default: off)",
    )
    .option(
      '--counts-mm',
      "queue sizes fed to the intensities include the market maker's orders (default: off)",
    )
    .option('--max-events <n>', `N: stop and liquidate at the N-th event ${REGIME}`)
    .option('--eta <eta>', 'terminal inventory penalty η·y_T² subtracted in the reward (default: 0)')
    .option(
      '--intensities <file>',
      'JSON file of intensity tables ({"family":"hlr","q":[…],"L":[[…]],"C":[…],"M":[…]}, or constant/ahp) (default: the regime\'s)',
    )
    .option('--episodes <n>', 'episodes per policy', '10000')
    .option('--sticky-rho <rho>', "policy 'sticky': probability ρ of keeping the previous action", '0.8')
    .option('--run <n>', 'run index of the evaluation streams (another run draws other episodes)', '0')
    .option('--workers <n>', "worker threads, or 'auto' for one per core", 'auto')
    .option('--engine <name>', "'wasm' (kernel) or 'js' (the TS twin, same streams and results)", 'wasm')
    .option('--out <dir>', 'output directory (replaced as a whole when the run completes)', 'results/lob')
    .addHelpText('after', `\n${regimeTable()}`);
}

export function registerLob(program: Command): void {
  const lob = program
    .command('lob')
    .description(
      'microstructural limit order book (Abergel–Huré–Pham): simulate and compare market-making baselines',
    );
  modelOptions(
    lob.command('simulate').description('evaluate one policy: P&L statistics, histogram, event counts'),
  )
    .option(
      '--policy <name|file>',
      `one of ${POLICY_NAMES.join(' | ')}, or an ES module exporting act/actBatch (reported beside "11"; see below)`,
      '11',
    )
    .action(async (o: LobOptions & { policy: string }, cmd: Command) => {
      const file = isModule(o.policy) ? o.policy : undefined;
      const plan = await withModule(planFromFlags(o, file ? ['11'] : [o.policy], '--policy'), file);
      await execute(plan, replayableCommand(cmd));
    });
  modelOptions(
    lob
      .command('compare')
      .description('several policies on common random numbers (same stream per episode index)'),
  )
    .option(
      '--policies <list>',
      `comma-separated, from ${POLICY_NAMES.join(', ')} (see below); the first is the reference of the paired differences`,
      '11,00,random,sticky,skew',
    )
    .option(
      '--policy <file>',
      'an ES module exporting act/actBatch, evaluated beside the built-in policies (default: none)',
    )
    .action(async (o: LobOptions & { policies: string; policy?: string }, cmd: Command) => {
      const names = o.policies
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (names.length === 0) throw new UsageError('--policies: give at least one policy');
      const plan = await withModule(planFromFlags(o, names, '--policies'), o.policy);
      await execute(plan, replayableCommand(cmd));
    });
}
