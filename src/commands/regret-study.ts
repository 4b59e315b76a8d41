/** `quantrl regret-study`: both LQ algorithms on the same seeds, with plots and report.md (the main job). */
import type { Command } from 'commander';
import { parseLqConfig, REGRET_STUDY_DEFAULTS } from '../lq/config.js';
import { writeRegretPlots, writeRegretReport } from '../lq/regret-report.js';
import { printAlgorithm, runStudy } from '../lq/run-study.js';
import { withStagedDir } from '../store/staging.js';
import { lqOptions } from './lq.js';

export function registerRegretStudy(program: Command): void {
  lqOptions(
    program
      .command('regret-study')
      .description(
        'model-free actor–critic vs model-based plug-in on the same seeds: slopes, plots, report.md',
      ),
    REGRET_STUDY_DEFAULTS,
    false,
  ).action(async (opts: Record<string, string>) => {
    const cfg = parseLqConfig(opts, REGRET_STUDY_DEFAULTS);
    const run = await withStagedDir(cfg.out, async (dir) => {
      const study = await runStudy(cfg, ['model-free', 'model-based'], 'quantrl regret-study', dir);
      const plots = await writeRegretPlots(dir, study.results);
      writeRegretReport(cfg, study, plots, dir);
      return study;
    });
    for (const r of run.results) printAlgorithm(r);
    console.log(`report: ${cfg.out}/report.md`);
  });
}
