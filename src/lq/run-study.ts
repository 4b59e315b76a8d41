/**
 * Runs LQ algorithms on the session's worker pool and returns the summary fields: the driver behind
 * `quantrl lq` and `quantrl regret-study`. Staging, signals, the envelope and the commit belong to the
 * run session (src/commands/session.ts); `lqMemory` sizes a run before anything starts.
 */
import { basename } from 'node:path';
import { machineInfo } from '../machine.js';
import type { MemoryNeed, SessionPlan } from '../runner/plan.js';
import { type Runner, resolveWorkers } from '../runner/pool.js';
import { TABLE_SCHEMA_VERSION } from '../store/table.js';
import type { Algo, LqStudyConfig } from './config.js';
import { optimalGain, optimalValue } from './oracle.js';
import { SCHED_STRIDE } from './schedules.js';
import { type AlgorithmResult, effectiveWindow, listLength, runAlgorithm, type SlopeFit } from './study.js';
import { writeLqTables } from './tables.js';

/** Version of the study's summary.json fields (documented field by field in the README). */
export const LQ_SUMMARY_SCHEMA = 2;

export interface StudyRun {
  readonly results: AlgorithmResult[];
  readonly wallSeconds: number;
  readonly stepsPerSecond: number;
  /** The study's summary.json fields (the session adds the envelope). */
  readonly summary: Record<string, unknown>;
  readonly machine: ReturnType<typeof machineInfo>;
  readonly command: string;
  /** The tidy tables written (file names). */
  readonly tables: string[];
}

/** Seeds stored per row when paths are logged (log grid, fit grid and checkpoints: well under 4096). */
const LOGGED_POINTS = 4096;

/**
 * What a run allocates, from the config alone (O(1)): per worker the kernel's schedule and φ₁ outputs
 * (a SIMD pair holds two) plus the host copy of the schedule; in the main thread the shared result
 * slots (2·threads + 2 jobs), the running sums and curves, and the kept rows of every seed.
 */
export function lqMemory(cfg: LqStudyConfig, algos: readonly Algo[], threads: number): MemoryNeed {
  const N = cfg.iterations;
  const L = N + 1;
  const sched = SCHED_STRIDE * 8 * N;
  const wasm = cfg.engine !== 'js';
  const perJob = cfg.engine === 'wasm-simd' ? 2 : 1;
  const kept = cfg.paths === 'full' ? L : Math.min(L, LOGGED_POINTS);
  const slots = (2 * threads + 2) * perJob * 2 * L * 8;
  const perAlgoMain = (3 + 4) * L * 8 + 2 * cfg.seeds * kept * 8;
  const perAlgoFiles = (cfg.paths === 'none' ? 0 : 2 * cfg.seeds * kept * 8) + 4 * L * 8;
  return {
    flag: cfg.paths === 'full' && cfg.seeds * kept * 16 > 8 * L * 8 ? '--paths' : '--iterations',
    kernelBytes: wasm ? sched + perJob * 8 * L + 2 ** 20 : 0,
    largestBlockBytes: wasm ? sched : 0,
    workerHostBytes: sched + 8 * L + (wasm ? 0 : perJob * 8 * L),
    mainBytes: slots + algos.length * perAlgoMain,
    fileBytes: algos.length * perAlgoFiles,
  };
}

/** What runStudy uses of the run session (src/commands/session.ts): its pool, staging folder and signal. */
export interface StudySession {
  readonly dir: string;
  readonly runner: Runner;
  readonly signal: AbortSignal;
  readonly plan: { readonly command: string };
}

/** Runs the algorithms on the session's pool and writes their files into the staging folder. */
export async function runStudy(
  cfg: LqStudyConfig,
  algos: readonly Algo[],
  session: StudySession,
): Promise<StudyRun> {
  const started = performance.now();
  const results: AlgorithmResult[] = [];
  for (const algo of algos) {
    results.push(
      await runAlgorithm(
        { ...cfg, out: session.dir, algo, prefix: algos.length > 1 ? `${algo}.` : '' },
        session.runner,
        session.signal,
      ),
    );
  }
  const tables = writeLqTables(session.dir, results, optimalGain(cfg.model));
  const wallSeconds = (performance.now() - started) / 1000;
  const steps = results.reduce((s, r) => s + r.steps, 0);
  const summary = {
    schemaVersion: LQ_SUMMARY_SCHEMA,
    tableSchemaVersion: TABLE_SCHEMA_VERSION,
    optimum: { phi1: optimalGain(cfg.model), value: optimalValue(cfg.model) },
    eulerSteps: steps,
    stepsPerSecond: steps / wallSeconds,
    algorithmsRun: results.map((r) => r.algo),
    algorithms: Object.fromEntries(
      results.map((r) => [
        r.algo,
        {
          checkpoints: r.checkpoints,
          slopes: r.slopes,
          fitWindowRequested: [cfg.fitFrom, cfg.fitTo],
          fitWindow: effectiveWindow(listLength(r.algo, cfg.iterations), cfg.fitFrom, cfg.fitTo),
          curve: curveSample(r),
        },
      ]),
    ),
  };
  return {
    results,
    wallSeconds,
    stepsPerSecond: steps / wallSeconds,
    summary,
    machine: machineInfo(),
    command: session.plan.command,
    tables: tables.flatMap((t) => [basename(t.parquet), basename(t.csv)]),
  };
}

/** The session plan of an LQ command. */
export function lqPlan(cfg: LqStudyConfig, algos: readonly Algo[], command: string): SessionPlan {
  const jobs = algos.reduce((n) => n + Math.ceil(cfg.seeds / (cfg.engine === 'wasm-simd' ? 2 : 1)), 0);
  const threads = Math.min(resolveWorkers(cfg.workers), jobs);
  return {
    study: cfg.experiment,
    out: cfg.out,
    command,
    config: cfg,
    workers: cfg.workers,
    jobs,
    memory: lqMemory(cfg, algos, threads),
    progress: {
      unit: 'seeds',
      total: algos.length * cfg.seeds,
      done: (r: Runner) => Math.floor(r.progress() / cfg.iterations),
    },
  };
}

/**
 * The MSE and expected-regret curves at 101 of the stored iterations (log-spaced, then denser over the
 * fit window), for readers of summary.json; every iteration is in curves.npy. Regret is the mean over
 * seeds (model-free) or the median (model-based).
 */
function curveSample(r: AlgorithmResult) {
  const { position, mse, regret } = r.stored;
  const picked = new Set<number>();
  for (let j = 0; j <= 100; j++) picked.add(Math.round((j / 100) * (position.length - 1)));
  const iterations = Array.from(position, (p) => (r.algo === 'model-free' ? p : p + 1));
  return [...picked]
    .sort((a, b) => a - b)
    .map((j) => ({
      iteration: iterations[j] as number,
      mse: mse[j] as number,
      regret: regret[j] as number,
    }));
}

export function formatSlope(f: SlopeFit | null): string {
  return f
    ? `${f.slope.toFixed(4)} [${f.ci95[0].toFixed(4)}, ${f.ci95[1].toFixed(4)}]`
    : 'n/a (window outside the run)';
}

/** Prints an algorithm's checkpoint table and slopes. */
export function printAlgorithm(r: AlgorithmResult): void {
  const head = ['iteration', 'mean φ₁', 'sd φ₁', 'ln MSE', 'mean R', 'median R', 'at −2.2'];
  console.log(`${r.algo}:`);
  console.log(head.map((h) => h.padStart(11)).join(''));
  for (const c of r.checkpoints) {
    const cells = [
      String(c.iteration),
      c.meanPhi1.toFixed(4),
      c.sdPhi1.toFixed(4),
      c.lnMse.toFixed(3),
      c.meanRegret.toFixed(1),
      c.medianRegret.toFixed(1),
      String(c.atClampLo),
    ];
    console.log(cells.map((v) => v.padStart(11)).join(''));
  }
  console.log(`  slope ln MSE    ${formatSlope(r.slopes.lnMse)}  (95 % CI: seed bootstrap)`);
  console.log(`  slope ln regret ${formatSlope(r.slopes.lnRegret)}`);
}
