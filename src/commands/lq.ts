/** `quantrl lq`: one LQ actor–critic algorithm over many seeds, sharded over a worker pool. */
import type { Command } from 'commander';
import { LQ_DEFAULTS, type LqDefaults, type LqStudyConfig, parseLqConfig } from '../lq/config.js';
import { lqConfigFromFile } from '../lq/config-schema.js';
import { writeRegretPlots, writeRegretReport } from '../lq/regret-report.js';
import { lqPlan, printAlgorithm, runStudy } from '../lq/run-study.js';
import { replayableCommand, runSession } from './session.js';

/** The flags shared by `lq` and `regret-study`, with the given defaults. */
export function lqOptions(cmd: Command, d: LqDefaults, withAlgo: boolean): Command {
  if (withAlgo)
    cmd.option(
      '--algo <name>',
      "'model-free' (Algorithm 1) or 'model-based' (the plug-in benchmark)",
      String(d.algo),
    );
  return cmd
    .option('--seeds <n>', 'number of seeds (replications)', String(d.seeds))
    .option('--first-seed <n>', 'index of the first seed (seeds are first … first+n−1)', String(d.firstSeed))
    .option('--iterations <n>', 'iterations (episodes) per seed', String(d.iterations))
    .option('--workers <n>', "worker threads, or 'auto' for one per core", String(d.workers))
    .option(
      '--engine <name>',
      "'wasm-simd' (seeds in pairs, same results), 'wasm', or 'js' (the pure-TS twin, same stream)",
      String(d.engine),
    )
    .option('--out <dir>', 'output directory (replaced as a whole when the run completes)', String(d.out))
    .option(
      '--paths <mode>',
      "per-seed paths stored at 'log' (≈800 iterations), 'full' or 'none'",
      String(d.paths),
    )
    .option('--fit-window <from:to>', 'iteration window of the log-log slope fits', String(d.fitWindow))
    .option(
      '--config <file>',
      'the study config as JSON (`quantrl schema lq`): model, schedules, plug-in settings; flags given override it (default: none, the paper’s study)',
    );
}

/** The command's config: its flags, or a `--config` file with the flags given on the command line on top. */
export function lqCommandConfig(
  opts: Record<string, string>,
  cmd: Command,
  defaults: LqDefaults,
): LqStudyConfig {
  const { config, ...flags } = opts;
  return config
    ? lqConfigFromFile(config, flags, (k) => cmd.getOptionValueSource(k) === 'cli', defaults)
    : parseLqConfig(flags, defaults);
}

export function registerLq(program: Command): void {
  lqOptions(
    program
      .command('lq')
      .description('continuous-time LQ actor–critic (Huang–Jia–Zhou 2024): one algorithm over many seeds'),
    LQ_DEFAULTS,
    true,
  ).action(async (opts: Record<string, string>, cmd: Command) => {
    const cfg = lqCommandConfig(opts, cmd, LQ_DEFAULTS);
    const study = await runSession(lqPlan(cfg, [cfg.algo], replayableCommand(cmd)), async (s) => {
      const run = await runStudy(cfg, [cfg.algo], s);
      s.phase('write');
      const plots = await writeRegretPlots(s.dir, run.results);
      s.throwIfInterrupted();
      writeRegretReport(cfg, run, plots, s.dir);
      s.writeSummary('', run.summary);
      return run;
    });
    for (const r of study.results) printAlgorithm(r);
    console.log(
      `wall ${study.wallSeconds.toFixed(2)} s, ${(study.stepsPerSecond / 1e6).toFixed(1)} M Euler steps/s → ${cfg.out}`,
    );
  });
}
