/**
 * `quantrl qknn train` (a policy file and its summary, written through the run session),
 * `quantrl qknn evaluate POLICY` (the learned policy against built-in baselines on common random
 * numbers) and `quantrl qknn experiment` — spec qknn-market-making §4, §4.8, §5.3. Every flag is
 * validated, and the memory plan checked, before anything is computed or written.
 */
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { type Check, verdict } from '../checks.js';
import { UsageError } from '../errors.js';
import { intListFlag, parseDecimal, parseFlags, positiveIntFlag, workersFlag } from '../flags.js';
import type { ScalarEngine } from '../kernels/engine.js';
import { KnnKernel } from '../kernels/knn.js';
import { compileKernels, Kernels } from '../kernels/wasm.js';
import { evaluatePolicies } from '../lob/harness.js';
import { O_CAPPED, OUT_STRIDE } from '../lob/layout.js';
import { builtinPolicy } from '../lob/policies.js';
import { histogramChart, summaryTable } from '../lob/report.js';
import type { LobSummary } from '../lob/stats.js';
import { machineInfo } from '../machine.js';
import { askShareChart, meanVsDChart } from '../qknn/charts.js';
import {
  AUTHORS_LIKE,
  PAPER_FAITHFUL,
  type QknnConfig,
  qknnModel,
  resolveQknnConfig,
} from '../qknn/config.js';
import {
  CONFIGS,
  type ConfigName,
  D_COUNT,
  experimentMemory,
  RUN_ORDER,
  SIZES,
  type Size,
  TEST_IDS,
  TESTS,
  type TestId,
  type TestResult,
  TrainingMemo,
  trainingRuns,
} from '../qknn/experiment.js';
import {
  armsTable,
  askShareTable,
  type ChartRef,
  experimentReport,
  QKNN_ARMS,
  QKNN_ASK_SHARE,
} from '../qknn/experiment-report.js';
import { qknnFeatureSpec } from '../qknn/features.js';
import { qknnMemoryPlan } from '../qknn/memory.js';
import { qknnLookAheadPolicy, qknnPolicy } from '../qknn/policy.js';
import { POLICY_FILE, POLICY_FORMAT, readPolicy, writePolicy } from '../qknn/policy-file.js';
import { pooledSteps, trainPooled } from '../qknn/pool.js';
import { QKNN_CHUNK_TASK, type QknnChunkResult } from '../qknn/tasks.js';
import { TrainingStore } from '../qknn/training-store.js';
import { type ChartSpec, writeChart } from '../report/plots.js';
import { resolveWorkers } from '../runner/pool.js';
import { writeFileAtomic } from '../store/atomic.js';
import { TABLE_SCHEMA_VERSION, writeTable } from '../store/table.js';
import { replayableCommand, runSession } from './session.js';

/** Config field → flag, so errors name what the user typed. */
const FLAGS: Record<string, string> = {
  regime: '--regime',
  actions: '--actions',
  l2: '--l2',
  T: '--T',
  trend: '--trend',
  N: '--N',
  D: '--D',
  L: '--L',
  truncation: '--truncation',
  timeMode: '--time-mode',
  J: '--J',
  k: '--k',
  estimator: '--estimator',
  pRef: '--p-ref',
  explore: '--explore',
  rho: '--rho',
  mix: '--mix',
  phi: '--phi',
  index: '--index',
  forestChecks: '--forest-checks',
  run: '--run',
};

interface TrainOptions {
  readonly [flag: string]: string | boolean | undefined;
}

function numberOr(flag: string, text: string | boolean | undefined): number | undefined {
  if (text === undefined || typeof text === 'boolean') return undefined;
  const v = parseDecimal(text);
  if (v === undefined) throw new UsageError(`${flag}: must be a decimal number (got '${text}')`);
  return v;
}

/** The validated configuration of the train flags. */
export function trainConfig(o: TrainOptions): QknnConfig {
  if (o.paperFaithful && o.authorsLike)
    throw new UsageError('--authors-like: cannot be combined with --paper-faithful');
  const input: Record<string, unknown> = o.authorsLike
    ? { ...AUTHORS_LIKE }
    : o.paperFaithful
      ? { ...PAPER_FAITHFUL }
      : {};
  for (const [field, flag] of Object.entries(FLAGS)) {
    const key = flag.slice(2).replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());
    const raw = o[key];
    if (raw === undefined) continue;
    const numeric = ['T', 'trend', 'N', 'D', 'L', 'J', 'k', 'rho', 'mix', 'forestChecks', 'run'].includes(
      field,
    );
    input[field] = numeric ? numberOr(flag, raw) : raw;
  }
  if (o.canonical === false) input.canonical = false;
  try {
    const c = resolveQknnConfig(input);
    qknnModel(c);
    return c;
  } catch (err) {
    if (err instanceof UsageError) {
      const field = err.message.split(':')[0] ?? '';
      const flag = FLAGS[field] ?? field;
      throw new UsageError(`${flag}${err.message.slice(field.length)}`);
    }
    throw err;
  }
}

function engineOf(text: string): ScalarEngine {
  if (text !== 'wasm' && text !== 'js') throw new UsageError(`--engine: must be wasm or js (got '${text}')`);
  return text;
}

function againstList(text: string): string[] {
  const names = text.split(',').filter((s) => s.length > 0);
  for (const n of names) builtinPolicy(n, 0.8, '--against');
  return names;
}

export function registerQknn(program: Command): void {
  const q = program.command('qknn').description('Qknn market making (Abergel–Huré–Pham): train and evaluate');
  q.command('train')
    .description('train a Qknn policy: writes policy.json and summary.json into --out')
    .option(
      '--out <dir>',
      'output folder: policy.json and summary.json (replaced as a whole when the run completes)',
      'results/qknn-train',
    )
    .option('--regime <name>', 'const | hlr | hlr-dev | ahp (default: const)')
    .option('--actions <class>', 'A1lim | A2lim | A2lim16 (default: A1lim)')
    .option('--l2 <rule>', 'L2 of A2lim/A2lim16: next_nonempty | one_tick (default: next_nonempty)')
    .option('--T <horizon>', 'horizon (default: the regime’s)')
    .option('--trend <kappa>', 'market-order trend κ (default: the regime’s)')
    .option('--N <steps>', 'jump steps (default: 50 const, 100 hlr-dev, 250 hlr, 160 ahp)')
    .option('--D <trajectories>', 'training trajectories per grid set (default: 10000)')
    .option('--L <points>', 'waiting-time quantizer points, 1..64 (default: 8)')
    .option('--truncation <mode>', 'mass-exact | paper-literal (default: mass-exact)')
    .option(
      '--time-mode <mode>',
      'joint (time to go is a feature) | product (J time points × distinct states, time cells) (default: joint)',
    )
    .option('--J <points>', 'product time mode: time points per step, 1..256 (default: 20)')
    .option('--k <neighbours>', 'neighbours averaged per projection (default: 1)')
    .option('--estimator <kind>', 'double | plain (default: double)')
    .option('--p-ref <price>', 'mid | pb (default: mid)')
    .option('--no-canonical', 'keep absent orders apart with presence bits (default: canonicalised)')
    .option('--explore <law>', 'uniform | sticky | mix11 (default: uniform)')
    .option('--rho <p>', 'sticky exploration: keep the previous action w.p. ρ (default: 0.8)')
    .option('--mix <p>', 'mix11 exploration: share of 11 (default: 0.5)')
    .option('--phi <terminal>', 'terminal value after N jumps: g | zero (default: g)')
    .option('--index <kind>', 'auto | split | tree | forest | brute (default: auto)')
    .option('--forest-checks <n>', 'forest: distances per query (default: 64)')
    .option('--run <index>', 'run index of the training streams (default: 0)')
    .option(
      '--paper-faithful',
      'the paper-faithful configuration: single estimator, presence bits, p_ref = pb, loose inventory (default: recommended)',
    )
    .option(
      '--authors-like',
      "the authors' code as far as it fits: paper-faithful with product time mode, J = 20 and Φ = 0 (default: off)",
    )
    .option('--engine <engine>', 'engine of the enumeration and nearest-neighbour kernels: wasm | js', 'wasm')
    .option('--workers <n>', "worker threads per backward step, or 'auto' for one per core", 'auto')
    .option('--episodes <E>', 'evaluate the trained policy against 11 on E episodes (0: skip)', '0')
    .option(
      '--look-ahead',
      'also evaluate the one-step look-ahead policy, |A|·B·L queries per decision (default: off)',
    )
    .action(
      async (
        o: TrainOptions & {
          out: string;
          engine: string;
          workers: string;
          episodes: string;
          lookAhead?: boolean;
        },
        cmd: Command,
      ) => {
        const c = trainConfig(o);
        if (o.lookAhead) lookAheadAllowed(c);
        const engine = engineOf(o.engine);
        const workers = workersOf(o.workers);
        const E = numberOr('--episodes', o.episodes) ?? 0;
        if (!Number.isInteger(E) || E < 0) throw new UsageError('--episodes: must be a non-negative integer');
        await runTrain(c, engine, workers, E, o.lookAhead === true, o.out, replayableCommand(cmd));
      },
    );
  q.command('experiment')
    .description('the acceptance tests T3–T8 (docs/qknn.md), recommended and paper-faithful side by side')
    .argument('<test>', `one of ${TEST_IDS.join(' | ')}, a comma-separated list of them, or all`)
    .option(
      '--size <size>',
      'reduced (minutes; sizes stated in the report) | full (D 10³–10⁵, E = 10⁴; hours)',
      'reduced',
    )
    .option(
      '--D <list>',
      'custom grid sizes for one test, comma-separated; the report says "custom" (default: those of --size)',
    )
    .option(
      '--E <n>',
      'custom evaluation episodes per policy for one test, with --D (default: that of --size)',
    )
    .option('--engine <engine>', 'engine of the enumeration and nearest-neighbour kernels: wasm | js', 'wasm')
    .option('--workers <n>', "worker threads per backward step, or 'auto' for one per core", 'auto')
    .option('--out <dir>', 'output directory (replaced as a whole when the run completes)', 'results/qknn')
    .option(
      '--configs <list>',
      'configurations to train, comma-separated: recommended, paper-faithful (default: both; the gates apply to recommended)',
    )
    .option(
      '--keep-trainings <dir>',
      'write each finished training to <dir> as a policy file and reuse those already there: a run that is interrupted resumes where it stopped (default: none)',
    )
    .action(
      async (
        test: string,
        o: {
          size: string;
          D?: string;
          E?: string;
          engine: string;
          workers: string;
          out: string;
          configs?: string;
          keepTrainings?: string;
        },
        cmd: Command,
      ) => {
        const ids = testIds(test);
        if (o.size !== 'reduced' && o.size !== 'full')
          throw new UsageError(`--size: must be reduced or full (got '${o.size}')`);
        await runExperiment(
          ids,
          experimentSizes(ids, o.size, o.D, o.E),
          experimentConfigs(o.configs),
          engineOf(o.engine),
          workersOf(o.workers),
          o.out,
          replayableCommand(cmd),
          trainingStore(o.keepTrainings),
        );
      },
    );
  q.command('evaluate')
    .description('evaluate a policy file against built-in baselines on common random numbers')
    .argument('<policy>', 'the folder written by qknn train, or its policy.json')
    .option('--against <names>', 'comma-separated baselines (11, 00, random, sticky, skew)', '11')
    .option('--episodes <E>', 'episodes per strategy', '10000')
    .option(
      '--look-ahead',
      'also evaluate the one-step look-ahead policy, |A|·B·L queries per decision (default: off)',
    )
    .option('--engine <engine>', 'nearest-neighbour engine of the look-ahead: wasm | js', 'wasm')
    .action(
      async (file: string, o: { against: string; episodes: string; lookAhead?: boolean; engine: string }) => {
        const against = againstList(o.against);
        const engine = engineOf(o.engine);
        const E = numberOr('--episodes', o.episodes) ?? 0;
        if (!Number.isInteger(E) || E < 1) throw new UsageError('--episodes: must be a positive integer');
        const p = readPolicy(file);
        const model = qknnModel(p.config);
        const lookAhead = o.lookAhead === true;
        if (lookAhead) lookAheadAllowed(p.config);
        const kernel =
          lookAhead && engine === 'wasm'
            ? new KnnKernel(new Kernels(await compileKernels('release')))
            : undefined;
        console.log((await evaluateTrained(p.config, p.steps, model, E, against, lookAhead, kernel)).text);
      },
    );
}

interface Evaluation {
  readonly summaries: LobSummary[];
  /** The summary table and the decision counts, as printed. */
  readonly text: string;
}

/** Plays the learned policy (and the look-ahead one) beside built-in baselines on common random numbers. */
async function evaluateTrained(
  c: QknnConfig,
  steps: Parameters<typeof qknnPolicy>[2],
  model: ReturnType<typeof qknnModel>,
  E: number,
  against: string[],
  lookAhead = false,
  kernel?: KnnKernel,
): Promise<Evaluation> {
  const spec = qknnFeatureSpec(c, model);
  const dec = qknnPolicy(c, spec, steps);
  const ahead = lookAhead ? qknnLookAheadPolicy(c, spec, steps, kernel) : undefined;
  const { summaries, records } = await evaluatePolicies(
    undefined,
    { model, episodes: E, experiment: 'qknn-eval', run: c.run, engine: 'js' },
    [dec.policy, ...(ahead ? [ahead.policy] : []), ...against.map((n) => builtinPolicy(n))],
  );
  const capped = records[0] ? countCapped(records[0]) : 0;
  const lines = [
    summaryTable(summaries),
    `qknn: ${dec.stats.decisions} decisions, ${dec.stats.fallbacks} without a grid (played 11), ${dec.stats.offGrid} at an inventory the step's grid does not hold; ${capped} of ${E} episodes reached N`,
  ];
  if (ahead && records[1])
    lines.push(
      `qknn look-ahead: ${ahead.stats.decisions} decisions; ${countCapped(records[1])} of ${E} episodes reached N`,
    );
  return { summaries, text: lines.join('\n') };
}

function countCapped(rec: Float64Array): number {
  let n = 0;
  for (let i = O_CAPPED; i < rec.length; i += OUT_STRIDE) if (rec[i] === 1) n++;
  return n;
}

/** The tests named by `<test>` in the order they run (RUN_ORDER, so that shared trainings are reused). */
export function testIds(test: string): TestId[] {
  const named = test === 'all' ? [...TEST_IDS] : test.split(',');
  for (const id of named)
    if (!TEST_IDS.includes(id as TestId))
      throw new UsageError(
        `<test>: must be one of ${TEST_IDS.join(', ')}, a list of them, or all (got '${test}')`,
      );
  return RUN_ORDER.filter((id) => named.includes(id));
}

/** The sizes an experiment runs: a named size per test, or `--D`/`--E` for one test ("custom"). */
interface ExperimentSizes {
  readonly label: Size | 'custom';
  readonly size: Size;
  readonly sizes: Record<TestId, { D: number[]; E: number }>;
}

/** Largest custom grid size or episode count accepted. */
const MAX_COUNT = 10_000_000;
const FLAG_NAMES = { D: '--D', E: '--E' } as const;

export function experimentSizes(ids: readonly TestId[], size: Size, D?: string, E?: string): ExperimentSizes {
  const named = Object.fromEntries(TEST_IDS.map((id) => [id, SIZES[id][size]])) as ExperimentSizes['sizes'];
  if (D === undefined && E === undefined) return { label: size, size, sizes: named };
  const id = ids[0] as TestId;
  if (ids.length !== 1) throw new UsageError('--D/--E: only with a single test, not all');
  if (D === undefined) throw new UsageError('--E: needs --D (custom sizes are given together)');
  const list = parseFlags(z.object({ D: intListFlag({ min: 1, max: MAX_COUNT }) }), { D }, FLAG_NAMES).D;
  const { min, max } = D_COUNT[id];
  if (list.length < min || list.length > max)
    throw new UsageError(
      `--D: ${id} takes ${min === max ? min : `${min}–${max}`} grid size${max > 1 ? 's' : ''} (got ${list.length})`,
    );
  if (list.some((d, i) => i > 0 && d <= (list[i - 1] as number)))
    throw new UsageError(`--D: sizes must increase (got ${D})`);
  const episodes =
    E === undefined
      ? SIZES[id][size].E
      : parseFlags(z.object({ E: positiveIntFlag(MAX_COUNT) }), { E }, FLAG_NAMES).E;
  return { label: 'custom', size, sizes: { ...named, [id]: { D: list, E: episodes } } };
}

/** The configurations `--configs` names, in the report's order (recommended first). */
export function experimentConfigs(text: string | undefined): readonly ConfigName[] {
  if (text === undefined) return CONFIGS;
  const names = text.split(',').map((n) => n.trim());
  for (const n of names)
    if (!(CONFIGS as readonly string[]).includes(n))
      throw new UsageError(`--configs: must list ${CONFIGS.join(' and/or ')} (got '${n}')`);
  return CONFIGS.filter((name) => names.includes(name));
}

/** The store `--keep-trainings` names (its folder is created now, so a bad path fails before training). */
function trainingStore(dir: string | undefined): TrainingStore | undefined {
  if (dir === undefined) return undefined;
  try {
    return new TrainingStore(dir);
  } catch (err) {
    throw new UsageError(
      `--keep-trainings: cannot use '${dir}' as a folder (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}

/** `quantrl qknn experiment`: the tests run one after another; each training's steps on the pool. */
async function runExperiment(
  ids: TestId[],
  plan: ExperimentSizes,
  configs: readonly ConfigName[],
  engine: ScalarEngine,
  workers: number,
  out: string,
  command: string,
  store: TrainingStore | undefined,
) {
  const { size, sizes } = plan;
  const total = ids.reduce((s, id) => s + trainingRuns(id, sizes[id].D, configs.length), 0);
  const memo = new TrainingMemo();
  const kernel = engine === 'wasm' ? new KnnKernel(new Kernels(await compileKernels('release'))) : undefined;
  // the display follows the training under way (a test's trainings differ in N)
  let stepsDone = 0;
  let stepsTotal = 0;
  const done = await runSession(
    {
      study: 'qknn-acceptance',
      out,
      command,
      config: {
        tests: ids,
        size: plan.label,
        engine,
        sizes: Object.fromEntries(ids.map((id) => [id, sizes[id]])),
        configs,
      },
      workers,
      jobs: workers,
      memory: experimentMemory(ids, sizes, plan.label === 'custom' ? '--D' : '--size', configs.length),
      progress: {
        unit: 'backward steps of the current training',
        total: () => stepsTotal,
        done: () => stepsDone,
      },
    },
    async (s) => {
      const results: TestResult[] = [];
      let trained = 0;
      for (const id of ids) {
        s.throwIfInterrupted();
        memo.nextTest();
        results.push(
          await TESTS[id]({
            size,
            sizes,
            configs,
            memo,
            ...(store ? { store } : {}),
            ...(kernel ? { kernel } : {}),
            train: (c) => {
              stepsDone = 0;
              stepsTotal = pooledSteps(qknnModel(c).maxEvents, {});
              return trainPooled(c, {
                engine,
                workers: s.threads,
                run: (t) => s.runner.run<QknnChunkResult>(QKNN_CHUNK_TASK, t),
                onSteps: (d) => {
                  stepsDone = d;
                },
              });
            },
            onProgress: (text) => {
              if (text.includes('training')) trained++;
              process.stderr.write(`qknn experiment ${id}: [${trained}/${total} trainings] ${text}\n`);
            },
          }),
        );
      }
      results.sort((a, b) => TEST_IDS.indexOf(a.id) - TEST_IDS.indexOf(b.id));
      s.phase('write');
      const charts: Record<string, ChartRef[]> = {};
      const chartFiles: string[] = [];
      const addChart = async (id: string, spec: ChartSpec, stem: string, alt: string) => {
        await writeChart(spec, join(s.dir, stem));
        charts[id] = [...(charts[id] ?? []), { file: `${stem}.png`, alt }];
        chartFiles.push(`${stem}.png`, `${stem}.svg`);
      };
      for (const r of results) {
        if (r.chart.length > 0)
          await addChart(
            r.id,
            histogramChart(r.chart, `${r.title}: P&L, Qknn against 11`),
            `${r.id}-pnl-histogram`,
            'P&L histograms, Qknn against 11',
          );
        const meanVsD = meanVsDChart(r);
        if (meanVsD) await addChart(r.id, meanVsD, `${r.id}-mean-vs-d`, 'Qknn mean P&L against D, 11 dashed');
        if (r.curves?.length)
          await addChart(
            r.id,
            askShareChart(r.curves, 'T6: ask share of MM orders against best-queue imbalance'),
            `${r.id}-ask-share`,
            'ask share against queue imbalance, with and without trend',
          );
      }
      const table = writeTable(s.dir, QKNN_ARMS, armsTable(results));
      const shares = results.some((r) => r.curves?.length)
        ? [writeTable(s.dir, QKNN_ASK_SHARE, askShareTable(results))]
        : [];
      const files = [
        ...chartFiles,
        basename(table.parquet),
        basename(table.csv),
        ...shares.flatMap((t) => [basename(t.parquet), basename(t.csv)]),
        'report.md',
        'summary.json',
      ];
      writeFileAtomic(
        join(s.dir, 'report.md'),
        experimentReport({
          results,
          size: plan.label,
          charts,
          command: s.plan.command,
          machine: machineInfo(),
          wallSeconds: s.wallSeconds,
          files,
        }),
      );
      s.writeSummary('', {
        schemaVersion: 1,
        tableSchemaVersion: TABLE_SCHEMA_VERSION,
        size: plan.label,
        tests: results.map((r) => ({
          id: r.id,
          title: r.title,
          expectation: r.expectation,
          sizes: r.sizes,
          verdicts: {
            recommended: verdictOf(r.checks.recommended),
            paperFaithful: verdictOf(r.checks['paper-faithful']),
          },
          checks: r.checks,
          reported: r.reported ?? null,
          arms: r.arms.map((a) => ({
            ...a,
            summary: a.summary ? { ...a.summary, histogram: undefined } : null,
          })),
          baselines: Object.fromEntries(
            Object.entries(r.baselines).map(([k, b]) => [k, { ...b, histogram: undefined }]),
          ),
          curves: r.curves ?? null,
        })),
      });
      return results;
    },
  );
  for (const r of done) {
    console.log(`${r.id}: ${configs.map((name) => `${name} ${verdictOf(r.checks[name])?.text}`).join('; ')}`);
    for (const c of r.checks[configs[0] as ConfigName] ?? [])
      console.log(`  ${c.pass === null ? 'SKIP' : c.pass ? 'PASS' : 'FAIL'} ${c.name}: ${c.detail}`);
  }
  console.log(`→ ${out}/report.md`);
}

/** A configuration's verdict, null when the run did not train it. */
function verdictOf(checks: readonly Check[] | undefined) {
  return checks ? verdict(checks) : null;
}

/**
 * `quantrl qknn train`: trains in a run session, each backward step on the pool (one contiguous range
 * of grid points per worker), the progress bar counting backward steps (the policy's, then the
 * policy-evaluation check's); writes policy.json and summary.json, all or nothing.
 */
async function runTrain(
  c: QknnConfig,
  engine: ScalarEngine,
  workers: number,
  E: number,
  lookAhead: boolean,
  out: string,
  command: string,
): Promise<void> {
  const model = qknnModel(c);
  const kernel =
    E > 0 && lookAhead && engine === 'wasm'
      ? new KnnKernel(new Kernels(await compileKernels('release')))
      : undefined;
  let stepsDone = 0;
  const { r, evaluation } = await runSession(
    {
      study: 'qknn-train',
      out,
      command,
      config: c,
      workers,
      jobs: workers,
      // the grids, and the policy file's text while it is written
      memory: qknnMemoryPlan(c, { evaluate: E > 0 }).need,
      progress: {
        unit: 'backward steps',
        total: pooledSteps(model.maxEvents, {}),
        done: () => stepsDone,
      },
    },
    async (s) => {
      const r = await trainPooled(c, {
        engine,
        workers: s.threads,
        run: (t) => s.runner.run<QknnChunkResult>(QKNN_CHUNK_TASK, t),
        onSteps: (d) => {
          stepsDone = d;
        },
      });
      s.throwIfInterrupted();
      const evaluation =
        E > 0 ? await evaluateTrained(c, r.steps, r.model, E, ['11'], lookAhead, kernel) : undefined;
      s.phase('write');
      writePolicy(join(s.dir, POLICY_FILE), r);
      s.writeSummary('', {
        schemaVersion: 1,
        policyFile: POLICY_FILE,
        policyFormat: POLICY_FORMAT,
        V0: r.V0,
        V0of11: r.V0of11,
        gridPoints: r.gridPoints,
        rawPoints: r.rawPoints,
        timings: r.timings,
        evaluation: evaluation
          ? { episodes: E, summaries: evaluation.summaries.map((x) => ({ ...x, histogram: undefined })) }
          : null,
      });
      return { r, evaluation };
    },
  );
  const t = r.timings;
  console.log(
    `V̂0 ${r.V0.map((v) => v.toFixed(4)).join(' / ')}; policy evaluation of 11: V̂0(11) = ${r.V0of11.toFixed(4)}`,
  );
  console.log(
    `grid points ${r.gridPoints} (raw ${r.rawPoints}); time ${(t.totalMs / 1000).toFixed(1)} s: simulation ${(t.simulateMs / 1000).toFixed(1)}, enumeration ${(t.enumerateMs / 1000).toFixed(1)}, index build ${(t.buildMs / 1000).toFixed(1)}, queries ${(t.queryMs / 1000).toFixed(1)} (${t.queries})`,
  );
  if (evaluation) console.log(evaluation.text);
  console.log(`→ ${join(out, POLICY_FILE)}`);
}

/** The one-step look-ahead recomputes joint-mode Q̂; product-mode policies have no such variant. */
function lookAheadAllowed(c: QknnConfig): void {
  if (c.timeMode === 'product') throw new UsageError('--look-ahead: not available in product time mode');
}

function workersOf(text: string): number {
  const w = workersFlag.safeParse(text);
  if (!w.success) throw new UsageError(`--workers: ${w.error.issues[0]?.message}`);
  return resolveWorkers(w.data);
}
