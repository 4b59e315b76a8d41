/** `quantrl regret-study`: both LQ algorithms on the same seeds, with plots and report.md (the main job). */
import type { Command } from 'commander';
import { REGRET_STUDY_DEFAULTS } from '../lq/config.js';
import { writeRegretPlots, writeRegretReport } from '../lq/regret-report.js';
import { lqPlan, printAlgorithm, runStudy } from '../lq/run-study.js';
import { lqCommandConfig, lqOptions } from './lq.js';
import { replayableCommand, runSession } from './session.js';

const ALGOS = ['model-free', 'model-based'] as const;

export function registerRegretStudy(program: Command): void {
  lqOptions(
    program
      .command('regret-study')
      .description(
        'model-free actor–critic vs model-based plug-in on the same seeds: slopes, plots, report.md',
      ),
    REGRET_STUDY_DEFAULTS,
    false,
  ).action(async (opts: Record<string, string>, cmd: Command) => {
    const cfg = lqCommandConfig(opts, cmd, REGRET_STUDY_DEFAULTS);
    const study = await runSession(lqPlan(cfg, ALGOS, replayableCommand(cmd)), async (s) => {
      const run = await runStudy(cfg, ALGOS, s);
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
    console.log(`report: ${cfg.out}/report.md`);
  });
}
