/**
 * `quantrl sweep run|status|collect|enqueue|worker`: declarative hyper-parameter sweeps over any study
 * of the registry, locally (static shards) or through a Redis queue (BullMQ).
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { InterruptedError, UsageError } from '../errors.js';
import { workersFlag } from '../flags.js';
import { codeVersion } from '../machine.js';
import { resolveWorkers } from '../runner/pool.js';
import { startProgress } from '../runner/progress.js';
import { STUDIES } from '../studies.js';
import { collectStore, storePlan } from '../sweep/collect.js';
import { runLocal } from '../sweep/local.js';
import { collectFromRedis, DEFAULT_QUEUE, enqueueSweep, probeRedis, runWorker } from '../sweep/queue.js';
import { parseShard, planSweep, readSpecFile, type SweepPlan } from '../sweep/spec.js';
import { openStore, readHeader, storeState, sweepId } from '../sweep/store.js';

export function loadPlan(file: string): SweepPlan {
  return planSweep(readSpecFile(file), STUDIES, codeVersion());
}

export function parseWorkers(text: string): number {
  const w = workersFlag.safeParse(text);
  if (!w.success) throw new UsageError(`--workers: ${w.error.issues[0]?.message}`);
  return resolveWorkers(w.data);
}

const outFlag = z.string().min(1);

/**
 * SIGINT/SIGTERM stop the work (exit 130/143); a sweep store keeps every run committed before the
 * signal, so the next `sweep run` resumes from there.
 */
export async function withSignals<T>(out: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onInt = () => abort.abort(new InterruptedError('SIGINT', `${out} (finished runs are kept)`));
  const onTerm = () => abort.abort(new InterruptedError('SIGTERM', `${out} (finished runs are kept)`));
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  try {
    return await work(abort.signal);
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
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
      const c = await withSignals(opts.out, (signal) =>
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
    .option('--redis <url>', 'first write the results finished in this Redis into the store')
    .option('--queue <name>', 'BullMQ queue name', DEFAULT_QUEUE)
    .option('--no-plots', 'tables and report.md only (no PNG/SVG plots, no report.html)')
    .action(async (dir: string, opts: { redis?: string; queue: string; plots: boolean }) => {
      if (opts.redis) {
        await probeRedis(opts.redis);
        const c = await collectFromRedis(storePlan(dir, STUDIES), {
          redis: opts.redis,
          queue: opts.queue,
          out: dir,
          code: codeVersion(),
          wait: false,
        });
        console.log(`from Redis: ${c.done} runs done, ${c.failed} failed, ${c.pending} still pending`);
      }
      const res = await collectStore(dir, STUDIES, { plots: opts.plots });
      console.log(
        `collected ${res.runs} runs × seeds = ${res.rows} rows into ${dir}: ${res.files.join(', ')}`,
      );
    });

  sweep
    .command('enqueue')
    .description(
      'put the sweep on a Redis queue for `sweep worker`s on any machine; --wait writes results into --out',
    )
    .argument('<spec>', 'sweep spec file (.json, .yaml or .yml)')
    .requiredOption('--redis <url>', 'Redis URL, e.g. redis://127.0.0.1:6379')
    .option('--out <dir>', 'the sweep store (needed with --wait; runs already in it are not enqueued)')
    .option('--wait', 'wait for every run and write the results into --out')
    .option('--queue <name>', 'BullMQ queue name', DEFAULT_QUEUE)
    .action(
      async (specFile: string, opts: { redis: string; out?: string; wait?: boolean; queue: string }) => {
        const plan = loadPlan(specFile);
        if (opts.wait && !opts.out) throw new UsageError('--out: required with --wait');
        await probeRedis(opts.redis);
        const code = codeVersion();
        const header = opts.out ? openStore(opts.out, plan, code) : undefined;
        const skip = opts.out ? new Set((await storeState(opts.out)).done.keys()) : new Set<string>();
        const tasks = await enqueueSweep(plan, {
          redis: opts.redis,
          queue: opts.queue,
          sweepId: header?.sweepId ?? sweepId(plan, code),
          skip,
        });
        console.log(
          `enqueued ${tasks.length} jobs (${tasks.reduce((n, t) => n + t.units.length, 0)} run × seed-chunk units) for ${plan.runs.length - skip.size} runs on queue ${opts.queue}`,
        );
        if (!opts.wait || !opts.out) return;
        const out = opts.out;
        const started = performance.now();
        let settled = 0;
        const stopProgress = startProgress({ unit: 'jobs', total: tasks.length, done: () => settled });
        const c = await withSignals(out, (signal) =>
          collectFromRedis(plan, {
            redis: opts.redis,
            queue: opts.queue,
            out,
            code,
            wait: true,
            signal,
            onProgress: (n) => {
              settled = n;
            },
          }),
        ).finally(stopProgress);
        console.log(
          `sweep ${plan.spec.name ?? plan.study.name}: ${c.done} runs done, ${c.failed} failed, ${c.skipped} already in the store, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
      },
    );

  sweep
    .command('worker')
    .description('serve sweep tasks from a Redis queue with a local pool until SIGINT/SIGTERM')
    .requiredOption('--redis <url>', 'Redis URL, e.g. redis://127.0.0.1:6379')
    .option('--workers <n>', "worker threads, or 'auto' for one per core", 'auto')
    .option('--queue <name>', 'BullMQ queue name', DEFAULT_QUEUE)
    .option(
      '--stalled-ms <ms>',
      'a job held by a dead worker returns to the queue after about this long',
      '30000',
    )
    .action(async (opts: { redis: string; workers: string; queue: string; stalledMs: string }) => {
      const workers = parseWorkers(opts.workers);
      const stalled = z.coerce.number().int().min(500).max(3_600_000).safeParse(opts.stalledMs);
      if (!stalled.success) throw new UsageError('--stalled-ms: must be an integer in [500, 3600000]');
      await probeRedis(opts.redis);
      console.log(`sweep worker: ${workers} threads on queue ${opts.queue} at ${opts.redis}`);
      const served = await withSignals(opts.redis, (signal) =>
        runWorker({ redis: opts.redis, queue: opts.queue, workers, stalledMs: stalled.data, signal }),
      );
      console.log(`sweep worker: served ${served} tasks`);
    });
}
