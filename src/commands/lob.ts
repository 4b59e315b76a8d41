/**
 * `quantrl lob simulate` (one policy) and `quantrl lob compare` (several policies on common random
 * numbers) on the microstructural order book of Abergel–Huré–Pham (spec qknn-market-making §1–§3, §5).
 * Every flag is validated before anything is written; outputs go to --out: summary.json, the P&L
 * histogram (PNG + SVG), and the printed table.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { ScalarEngine } from '../kernels/engine.js';
import { type LobModel, type LobModelInput, REGIMES, resolveModel } from '../lob/config.js';
import { evaluatePolicies } from '../lob/harness.js';
import { builtinPolicy, type LobPolicy, POLICY_NAMES } from '../lob/policies.js';
import { histogramChart, histogramText, pairedDifference, summaryTable } from '../lob/report.js';
import { codeVersion, machineInfo } from '../machine.js';
import { writeChart } from '../report/plots.js';
import { Runner, resolveWorkers } from '../runner/pool.js';
import { writeFileAtomic } from '../store/atomic.js';

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

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v))
    throw new UsageError(`${flag}: must be a number (got '${text}')`);
  return v;
}

function positiveInt(flag: string, text: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v <= 0)
    throw new UsageError(`${flag}: must be a positive integer (got '${text}')`);
  return v;
}

/** The validated model of the flags; UsageError names the flag. */
export function modelFromFlags(o: LobOptions): LobModel {
  const overrides: Record<string, unknown> = {};
  const set = (field: string, v: unknown) => {
    if (v !== undefined) overrides[field] = v;
  };
  set('trend', number('--trend', o.trend));
  set('T', number('--T', o.T));
  set('K', number('--K', o.K));
  set('aInf', number('--a-inf', o.aInf));
  set('bInf', number('--b-inf', o.bInf));
  set('timeScale', number('--time-scale', o.timeScale));
  set('maxEvents', number('--max-events', o.maxEvents));
  set('eta', number('--eta', o.eta));
  set('boundary', o.boundary);
  set('actions', o.actions);
  set('l2', o.l2);
  set('cancelRule', o.cancelRule);
  set('liquidation', o.liquidation);
  if (o.countsMm) overrides.intensityCountsMM = true;
  if (o.peg) overrides.peg = true;
  if (o.intensities !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(o.intensities, 'utf8'));
    } catch (err) {
      throw new UsageError(
        `--intensities: cannot read a JSON file at '${o.intensities}' (${(err as Error).message})`,
      );
    }
    overrides.intensities = parsed;
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
  workers: number;
  engine: ScalarEngine;
  out: string;
}

function planFromFlags(o: LobOptions, policyNames: readonly string[], policyFlag: string): Plan {
  const model = modelFromFlags(o);
  const episodes = positiveInt('--episodes', o.episodes);
  const rho = number('--sticky-rho', o.stickyRho) as number;
  if (!(rho >= 0 && rho <= 1)) throw new UsageError('--sticky-rho: must be in [0, 1]');
  const policies = policyNames.map((p) => builtinPolicy(p, rho, policyFlag));
  const run = Number(o.run);
  if (!Number.isInteger(run) || run < 0)
    throw new UsageError(`--run: must be a non-negative integer (got '${o.run}')`);
  if (o.engine !== 'wasm' && o.engine !== 'js')
    throw new UsageError(`--engine: must be 'wasm' or 'js' (got '${o.engine}')`);
  const workers = o.workers === 'auto' ? resolveWorkers('auto') : positiveInt('--workers', o.workers);
  if (!o.out) throw new UsageError('--out: an output directory is required');
  return { model, policies, episodes, run, workers, engine: o.engine, out: o.out };
}

async function execute(plan: Plan, command: string): Promise<void> {
  mkdirSync(plan.out, { recursive: true });
  const started = performance.now();
  const runner = await Runner.open({ workers: plan.workers });
  let result: Awaited<ReturnType<typeof evaluatePolicies>>;
  try {
    result = await evaluatePolicies(
      runner,
      {
        model: plan.model,
        episodes: plan.episodes,
        experiment: 'lob/evaluate',
        run: plan.run,
        engine: plan.engine,
      },
      plan.policies,
    );
  } finally {
    await runner.close();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const { summaries, records } = result;
  const ref = records[0] as Float64Array;
  const differences = Object.fromEntries(
    records
      .slice(1)
      .map((r, i) => [`${summaries[i + 1]?.policy} − ${summaries[0]?.policy}`, pairedDifference(r, ref)]),
  );
  const title = `P&L, ${plan.model.regime}, T = ${plan.model.T}, ${plan.episodes} episodes`;
  const chart = await writeChart(histogramChart(summaries, title), join(plan.out, 'lob-pnl-histogram'));
  const summary = {
    study: 'lob-baselines',
    version: codeVersion(),
    command,
    model: plan.model,
    episodes: plan.episodes,
    streams: {
      experiment: 'lob/evaluate',
      run: plan.run,
      note: 'episode e uses streamKey(experiment, run, e) for every policy',
    },
    engine: plan.engine,
    workers: plan.workers,
    machine: machineInfo(),
    wallSeconds,
    policies: summaries,
    pairedDifferences: differences,
    files: ['summary.json', 'lob-pnl-histogram.svg', 'lob-pnl-histogram.png'],
  };
  writeFileAtomic(join(plan.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(
    `${plan.model.regime}, T = ${plan.model.T}, ${plan.episodes} episodes per policy (common random numbers)`,
  );
  console.log(summaryTable(summaries));
  for (const [name, d] of Object.entries(differences))
    console.log(`paired ${name}: ${d.mean.toFixed(3)} ± ${d.se.toFixed(3)}`);
  console.log(
    `P&L histogram (${summaries[0]?.policy}):\n${histogramText(summaries[0] as (typeof summaries)[number])}`,
  );
  console.log(`wall ${wallSeconds.toFixed(2)} s → ${plan.out} (${chart.png})`);
}

function modelOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--regime <name>', `intensity regime: ${REGIMES.join(' | ')}`)
    .option(
      '--trend <kappa>',
      'trend κ: λ^{M+}·(1+κ), λ^{M−}·(1−κ) (default: 0; R-ahp 1/3 = the posted 4 vs 2)',
    )
    .option('--T <t>', 'horizon (default: the regime’s, 1 or 8 for R-ahp)')
    .option('--K <k>', 'frame levels per side')
    .option('--a-inf <n>', 'boundary ask level a∞')
    .option('--b-inf <n>', 'boundary bid level b∞')
    .option('--boundary <rule>', "'reservoir' (quote at K+1) or 'refill' (level K := a∞)")
    .option('--time-scale <c>', 'multiplies every intensity (HLR: 30 for R-hlr, 10 for R-hlr-dev)')
    .option('--actions <class>', "'A1lim' (4 actions), 'A2lim' (9) or 'A2lim16' (16: L1 and/or L2 per side)")
    .option('--l2 <rule>', "A2lim's L2: 'next_nonempty' (others' second non-empty level) or 'one_tick'")
    .option('--cancel-rule <rule>', "'uniform' (ahead w.p. (r−1)/a), 'behind' or 'ahead'")
    .option('--liquidation <rule>', "'walk' or 'walk_plus_one_tick'")
    .option('--peg', "the authors' pegging: an improved-upon L1 order moves to the new best at rank 2")
    .option('--counts-mm', 'queue sizes fed to insertion/cancel intensities include MM orders')
    .option('--max-events <n>', 'N: close out at the N-th event (default: no practical cap; R-ahp 160)')
    .option('--eta <eta>', 'terminal inventory penalty η·y² in the reward')
    .option(
      '--intensities <file>',
      'JSON intensity spec ({"family":"hlr","q":[…],"L":[[…]],"C":[…],"M":[…]} or constant/ahp)',
    )
    .option('--episodes <n>', 'episodes per policy', '10000')
    .option('--sticky-rho <rho>', 'sticky-random: keep the previous action w.p. ρ', '0.8')
    .option('--run <n>', 'run index of the evaluation streams', '0')
    .option('--workers <n>', "worker threads, or 'auto'", 'auto')
    .option('--engine <name>', "'wasm' or 'js' (the twin, same streams)", 'wasm')
    .option('--out <dir>', 'output directory', 'results/lob');
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
    .option('--policy <name>', `one of ${POLICY_NAMES.join(' | ')}`, '11')
    .action(async (o: LobOptions & { policy: string }) => {
      const plan = planFromFlags(o, [o.policy], '--policy');
      await execute(plan, `quantrl lob simulate ${process.argv.slice(2).join(' ')}`);
    });
  modelOptions(
    lob
      .command('compare')
      .description('several policies on common random numbers (same stream per episode index)'),
  )
    .option(
      '--policies <list>',
      `comma-separated, from ${POLICY_NAMES.join(', ')}`,
      '11,00,random,sticky,skew',
    )
    .action(async (o: LobOptions & { policies: string }) => {
      const names = o.policies
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (names.length === 0) throw new UsageError('--policies: give at least one policy');
      const plan = planFromFlags(o, names, '--policies');
      await execute(plan, `quantrl lob compare ${process.argv.slice(2).join(' ')}`);
    });
}
