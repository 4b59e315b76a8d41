/**
 * Sweep overhead and scaling: 2,000 tiny LQ runs (1 seed × 2,000 iterations each, a grid over the
 * step size), run locally with 1 and with 2 workers, and — given a Redis URL — through the queue with
 * two worker processes of one thread each (started and warmed up before the clock starts: workers are
 * long-lived services). kernel_share is the time inside the study's seed code (the kernel calls and the
 * per-seed metric reduction) over wall × workers; overhead_ms_per_run is the rest, per run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeVersion } from '../src/machine.js';
import { STUDIES } from '../src/studies.js';
import { runLocal } from '../src/sweep/local.js';
import { collectFromRedis, enqueueSweep, probeRedis } from '../src/sweep/queue.js';
import { parseShard, planSweep } from '../src/sweep/spec.js';
import { openStore } from '../src/sweep/store.js';
import type { BenchLine } from './bench-line.js';

const RUNS = 2000;
const ITERATIONS = 2000;

const spec = (runs: number, name: string) => ({
  study: 'lq',
  name,
  base: { iterations: ITERATIONS, engine: 'wasm', fitWindow: { from: 100, to: ITERATIONS } },
  grid: { 'modelFree.lrScale': { linspace: { from: 0.02, to: 0.1, num: runs } } },
  seeds: { count: 1 },
});

function line(
  mode: 'local' | 'redis',
  workers: number,
  wallMs: number,
  studyMs: number,
  extra = {},
): BenchLine {
  return {
    kernel: 'sweep',
    engine: 'wasm',
    mode,
    runs: RUNS,
    workers,
    wall_s: Number((wallMs / 1000).toFixed(3)),
    overhead_ms_per_run: Number(((wallMs * workers - studyMs) / RUNS).toFixed(4)),
    kernel_share: Number((studyMs / (wallMs * workers)).toFixed(4)),
    ...extra,
  };
}

function cliProcess(args: string[]): ChildProcess {
  const fromSource = import.meta.url.endsWith('.ts');
  const cli = fileURLToPath(new URL(`../src/cli.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  return spawn(process.execPath, [...(fromSource ? ['--import', 'tsx'] : []), cli, ...args], {
    stdio: 'ignore',
  });
}

async function redisLine(url: string, root: string, localWallMs: number): Promise<BenchLine> {
  await probeRedis(url);
  const queue = `bench-${process.pid}`;
  const workers = [0, 1].map(() =>
    cliProcess(['sweep', 'worker', '--redis', url, '--queue', queue, '--workers', '1']),
  );
  try {
    const code = codeVersion();
    const sweep = async (s: object, out: string) => {
      const plan = planSweep(s, STUDIES, code);
      const started = performance.now();
      const header = openStore(out, plan, code);
      await enqueueSweep(plan, { redis: url, queue, sweepId: header.sweepId, skip: new Set() });
      const c = await collectFromRedis(plan, { redis: url, queue, out, code, wait: true });
      return { wallMs: performance.now() - started, studyMs: c.studyMs };
    };
    await sweep(spec(40, 'bench-warmup'), join(root, 'redis-warmup'));
    const { wallMs, studyMs } = await sweep(spec(RUNS, 'bench'), join(root, 'redis'));
    return line('redis', 2, wallMs, studyMs, {
      vs_local_2_workers: Number((wallMs / localWallMs).toFixed(3)),
    });
  } finally {
    for (const w of workers) w.kill('SIGTERM');
  }
}

export async function sweepBench(opts: { redis?: string } = {}): Promise<BenchLine[]> {
  const root = mkdtempSync(join(tmpdir(), 'quantrl-bench-sweep-'));
  try {
    const plan = planSweep(spec(RUNS, 'bench'), STUDIES, codeVersion());
    const run = (workers: number) =>
      runLocal(plan, {
        out: join(root, `local-${workers}`),
        workers,
        shard: parseShard('0/1'),
        code: codeVersion(),
      });
    const two = Math.min(2, availableParallelism());
    const one = await run(1);
    const both = await run(two);
    const lines = [
      line('local', 1, one.wallMs, one.studyMs),
      line('local', two, both.wallMs, both.studyMs, {
        speedup_vs_1_worker: Number((one.wallMs / both.wallMs).toFixed(3)),
      }),
    ];
    if (opts.redis) lines.push(await redisLine(opts.redis, root, both.wallMs));
    return lines;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
