/**
 * Runs LQ algorithms through one worker pool and writes summary.json: the driver behind `quantrl lq`
 * and `quantrl regret-study`. Ctrl-C aborts the pool; writers drop their temporary files.
 */
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { codeVersion, machineInfo } from '../machine.js';
import { Runner, resolveWorkers } from '../runner/pool.js';
import { withProgress } from '../runner/progress.js';
import { writeFileAtomic } from '../store/atomic.js';
import type { Algo, LqStudyConfig } from './config.js';
import { optimalGain, optimalValue } from './oracle.js';
import { type AlgorithmResult, runAlgorithm, type SlopeFit } from './study.js';

export interface StudyRun {
  readonly results: AlgorithmResult[];
  readonly wallSeconds: number;
  readonly stepsPerSecond: number;
  readonly summary: Record<string, unknown>;
}

export function commandLine(base: string, cfg: LqStudyConfig): string {
  return `${base} --seeds ${cfg.seeds} --first-seed ${cfg.firstSeed} --iterations ${cfg.iterations} --engine ${cfg.engine} --paths ${cfg.paths} --fit-window ${cfg.fitFrom}:${cfg.fitTo}`;
}

/** Runs the algorithms and writes their files and summary.json into `dir` (a staging folder). */
export async function runStudy(
  cfg: LqStudyConfig,
  algos: readonly Algo[],
  base: string,
  dir: string,
): Promise<StudyRun> {
  const workers = resolveWorkers(cfg.workers);
  const started = performance.now();
  const runner = await Runner.open({ workers });
  const abort = new AbortController();
  setMaxListeners(0, abort.signal); // one listener per queued seed task
  const onSigint = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  const results: AlgorithmResult[] = [];
  try {
    for (const algo of algos) {
      const before = runner.progress();
      // workers report iterations; the bar counts seeds (fractional while seeds are in flight)
      const result = await withProgress(
        `${algo.padEnd(11)} seeds`,
        cfg.seeds,
        () => Math.floor((10 * (runner.progress() - before)) / cfg.iterations) / 10,
        () =>
          runAlgorithm(
            { ...cfg, out: dir, algo, prefix: algos.length > 1 ? `${algo}.` : '' },
            runner,
            abort.signal,
          ),
      );
      results.push(result);
    }
  } finally {
    process.off('SIGINT', onSigint);
    await runner.close();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const steps = results.reduce((s, r) => s + r.steps, 0);
  const summary = {
    study: 'lq-actor-critic',
    version: codeVersion(),
    command: commandLine(base, cfg),
    config: { ...cfg, workers },
    machine: machineInfo(),
    optimum: { phi1: optimalGain(cfg.model), value: optimalValue(cfg.model) },
    wallSeconds,
    eulerSteps: steps,
    stepsPerSecond: steps / wallSeconds,
    algorithms: Object.fromEntries(
      results.map((r) => [
        r.algo,
        {
          checkpoints: r.checkpoints,
          slopes: r.slopes,
          fitWindow: [cfg.fitFrom, cfg.fitTo],
          curve: curveSample(r),
        },
      ]),
    ),
    files: [...results.flatMap((r) => r.files), 'summary.json'],
  };
  writeFileAtomic(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(
    `wall ${wallSeconds.toFixed(2)} s, ${(steps / wallSeconds / 1e6).toFixed(1)} M Euler steps/s → ${cfg.out}`,
  );
  return { results, wallSeconds, stepsPerSecond: steps / wallSeconds, summary };
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
