/**
 * `quantrl sweep run|status|collect|enqueue|worker`: declarative hyper-parameter sweeps over any study
 * of the registry, locally (static shards) or through a Redis queue (BullMQ).
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { workersFlag } from '../flags.js';
import { codeVersion } from '../machine.js';
import { resolveWorkers } from '../runner/pool.js';
import { STUDIES } from '../studies.js';
import { collectStore } from '../sweep/collect.js';
import { runLocal } from '../sweep/local.js';
import { parseShard, planSweep, readSpecFile, type SweepPlan } from '../sweep/spec.js';
import { readHeader, storeState } from '../sweep/store.js';

export function loadPlan(file: string): SweepPlan {
  return planSweep(readSpecFile(file), STUDIES, codeVersion());
}

export function parseWorkers(text: string): number {
  const w = workersFlag.safeParse(text);
  if (!w.success) throw new UsageError(`--workers: ${w.error.issues[0]?.message}`);
  return resolveWorkers(w.data);
}

const outFlag = z.string().min(1);

/** Ctrl-C / SIGTERM stop dispatching; finished runs stay committed. */
export async function withSignals<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const stop = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await work(abort.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

export function registerSweep(program: Command): void {
  const sweep = program
    .command('sweep')
    .description('hyper-parameter sweeps: a spec (JSON or YAML) → runs → a resumable store → tidy tables');

  sweep
    .command('run')
    .description('run the sweep (or one shard of it) on this machine; a rerun resumes')
    .argument('<spec>', 'sweep spec file (.json, .yaml or .yml)')
    .requiredOption('--out <dir>', 'the sweep store (created if missing)')
    .option('--workers <n>', "worker threads, or 'auto' for one per core", 'auto')
    .option('--shard <i/N>', 'run only runs with index ≡ i (mod N)', '0/1')
    .action(async (specFile: string, opts: { out: string; workers: string; shard: string }) => {
      const plan = loadPlan(specFile);
      const shard = parseShard(opts.shard);
      const workers = parseWorkers(opts.workers);
      outFlag.parse(opts.out);
      const c = await withSignals((signal) =>
        runLocal(plan, { out: opts.out, workers, shard, code: codeVersion(), signal }),
      );
      console.log(
        `sweep ${plan.spec.name ?? plan.study.name}: ${c.done} runs done, ${c.failed} failed, ${c.skipped} already in the store (${c.total} in shard ${shard.index}/${shard.of}) in ${(c.wallMs / 1000).toFixed(1)} s`,
      );
      if (c.failed) console.log(`  failed runs are listed by \`quantrl sweep status ${opts.out}\``);
    });

  sweep
    .command('status')
    .description('runs done, failed and remaining in a sweep store')
    .argument('<dir>', 'the sweep store')
    .action(async (dir: string) => {
      const h = readHeader(dir);
      const s = await storeState(dir);
      console.log(
        `sweep ${h.sweepId} (${h.study}): ${s.done.size} done, ${s.failed.size} failed, ${h.runs - s.done.size - s.failed.size} remaining, of ${h.runs} runs`,
      );
      for (const [runId, f] of [...s.failed].sort((a, b) => a[1].run - b[1].run))
        console.log(`  failed run ${f.run} (${runId}): ${f.error}`);
    });

  sweep
    .command('collect')
    .description(
      'tidy tables (runs/points as Parquet and CSV), report.md, plots and report.html from a store',
    )
    .argument('<dir>', 'the sweep store')
    .action(async (dir: string) => {
      const res = await collectStore(dir, STUDIES);
      console.log(
        `collected ${res.runs} runs × seeds = ${res.rows} rows into ${dir}: ${res.files.join(', ')}`,
      );
    });
}
