/** `quantrl lq`: the model-free actor–critic study over many seeds, sharded over a worker pool. */
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import type { Command } from 'commander';
import { LQ_DEFAULTS, type LqStudyConfig, parseLqConfig } from '../lq/config.js';
import { type ModelFreeStudyResult, runModelFreeStudy } from '../lq/model-free-study.js';
import { optimalGain, optimalValue } from '../lq/oracle.js';
import { codeVersion, machineInfo } from '../machine.js';
import { Runner, resolveWorkers } from '../runner/pool.js';
import { withProgress } from '../runner/progress.js';
import { writeFileAtomic } from '../store/atomic.js';

export function registerLq(program: Command): void {
  program
    .command('lq')
    .description('continuous-time LQ actor–critic (Huang–Jia–Zhou 2024): the model-free regret study')
    .option('--algo <name>', "algorithm: 'model-free'", LQ_DEFAULTS.algo)
    .option('--seeds <n>', 'number of seeds (replications)', String(LQ_DEFAULTS.seeds))
    .option(
      '--first-seed <n>',
      'index of the first seed (seeds are first … first+n−1)',
      String(LQ_DEFAULTS.firstSeed),
    )
    .option('--iterations <n>', 'iterations (episodes, updates) per seed', String(LQ_DEFAULTS.iterations))
    .option('--workers <n>', "worker threads, or 'auto' for one per core", LQ_DEFAULTS.workers)
    .option('--engine <name>', "'wasm' (kernels) or 'js' (the pure-TS twin, same stream)", LQ_DEFAULTS.engine)
    .option('--out <dir>', 'output directory (created if missing)', LQ_DEFAULTS.out)
    .option(
      '--paths <mode>',
      "per-seed φ₁ stored at 'log' (≈400 log-spaced iterations), 'full' or 'none'",
      LQ_DEFAULTS.paths,
    )
    .option('--fit-window <from:to>', 'iteration window of the log-log slope fits', LQ_DEFAULTS.fitWindow)
    .action(async (opts: Record<string, string>) => {
      const cfg = parseLqConfig(opts);
      await runLqCommand(cfg);
    });
}

export async function runLqCommand(cfg: LqStudyConfig): Promise<ModelFreeStudyResult> {
  const workers = resolveWorkers(cfg.workers);
  const started = performance.now();
  const runner = await Runner.open({ workers });
  const abort = new AbortController();
  setMaxListeners(0, abort.signal); // one listener per queued seed task
  const onSigint = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  try {
    const total = cfg.seeds * cfg.iterations;
    const result = await withProgress(
      'lq model-free',
      total,
      () => runner.progress(),
      () => runModelFreeStudy(cfg, runner, abort.signal),
    );
    const wallSeconds = (performance.now() - started) / 1000;
    const summary = {
      study: 'lq-actor-critic',
      algo: cfg.algo,
      version: codeVersion(),
      command: `quantrl lq --algo ${cfg.algo} --seeds ${cfg.seeds} --first-seed ${cfg.firstSeed} --iterations ${cfg.iterations} --engine ${cfg.engine} --paths ${cfg.paths} --fit-window ${cfg.fitFrom}:${cfg.fitTo}`,
      config: { ...cfg, workers },
      machine: machineInfo(),
      optimum: { phi1: optimalGain(cfg.model), value: optimalValue(cfg.model) },
      wallSeconds,
      eulerSteps: result.steps,
      stepsPerSecond: result.steps / wallSeconds,
      checkpoints: result.checkpoints,
      slopes: { fitWindow: [cfg.fitFrom, cfg.fitTo], lnMse: result.mseSlope, lnRegret: result.regretSlope },
      final: result.final,
      files: [...result.files, 'summary.json'],
    };
    writeFileAtomic(join(cfg.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    printSummary(summary.checkpoints, result, wallSeconds, summary.stepsPerSecond, cfg.out);
    return result;
  } finally {
    process.off('SIGINT', onSigint);
    await runner.close();
  }
}

function printSummary(
  rows: ModelFreeStudyResult['checkpoints'],
  r: ModelFreeStudyResult,
  wall: number,
  sps: number,
  out: string,
): void {
  const fmt = (v: number, d = 4) => v.toFixed(d).padStart(10);
  console.log(
    `${'iteration'.padStart(10)}${'mean φ₁'.padStart(10)}${'sd φ₁'.padStart(10)}${'ln MSE'.padStart(10)}${'mean R'.padStart(12)}`,
  );
  for (const c of rows) {
    console.log(
      `${String(c.iteration).padStart(10)}${fmt(c.meanPhi1)}${fmt(c.sdPhi1)}${fmt(c.lnMse, 3)}${c.meanRegret.toFixed(1).padStart(12)}`,
    );
  }
  const slope = (f: ModelFreeStudyResult['mseSlope']) =>
    f
      ? `${f.slope.toFixed(4)} [${f.slopeCi95[0].toFixed(4)}, ${f.slopeCi95[1].toFixed(4)}]`
      : 'n/a (window outside the run)';
  console.log(`slope ln MSE   : ${slope(r.mseSlope)}`);
  console.log(`slope ln regret: ${slope(r.regretSlope)}`);
  console.log(`wall ${wall.toFixed(2)} s, ${(sps / 1e6).toFixed(1)} M Euler steps/s → ${out}`);
}
