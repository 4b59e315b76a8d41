/**
 * Distributed sweeps against a real redis-server. `.ci/run` starts one and passes its URL in
 * QUANTRL_TEST_REDIS_URL; locally these tests are skipped (loudly) without it, in CI they must run.
 * Two worker processes give the local tables byte for byte; a worker killed mid-job has its job
 * recovered; a Redis restart (with persistence) mid-sweep is survived; an unreachable Redis is refused
 * with exit 2 within seconds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { codeVersion } from '../../src/machine.js';
import { STUDIES } from '../../src/studies.js';
import { collectStore } from '../../src/sweep/collect.js';
import { runLocal } from '../../src/sweep/local.js';
import { parseShard, planSweep } from '../../src/sweep/spec.js';
import { exited, freePort, spawnCli, until } from './support.js';

const REDIS = process.env.QUANTRL_TEST_REDIS_URL;
if (!REDIS && !process.env.CI)
  console.warn(
    '\n*** SKIPPING the Redis sweep tests: QUANTRL_TEST_REDIS_URL is not set (.ci/run starts redis-server and sets it) ***\n',
  );

const root = mkdtempSync(join(tmpdir(), 'quantrl-sweep-redis-'));
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});
const files = ['runs.csv', 'points.csv', 'runs.parquet', 'points.parquet'];
let queueNo = 0;
const queueName = () => `test-${process.pid}-${++queueNo}`;

function specFile(name: string, spec: object): string {
  const f = join(root, `${name}.json`);
  writeFileSync(f, JSON.stringify(spec));
  return f;
}

async function localReference(name: string, spec: object): Promise<string> {
  const out = join(root, `${name}-local`);
  await runLocal(planSweep(spec, STUDIES, codeVersion()), {
    out,
    workers: 1,
    shard: parseShard('0/1'),
    code: codeVersion(),
  });
  await collectStore(out, STUDIES, { plots: false });
  return out;
}

function worker(url: string, queue: string, stalledMs = 1000): ChildProcess {
  const w = spawnCli([
    'sweep',
    'worker',
    '--redis',
    url,
    '--queue',
    queue,
    '--workers',
    '1',
    '--stalled-ms',
    String(stalledMs),
  ]);
  children.push(w);
  return w;
}

async function stop(w: ChildProcess): Promise<void> {
  w.kill('SIGTERM');
  await exited(w);
}

async function cli(args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((m: string) => void lines.push(m));
  const err = vi.spyOn(console, 'error').mockImplementation((m: string) => void lines.push(m));
  try {
    return { code: await main(args), text: lines.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

/** A test's own connection: reconnects silently while the server restarts. */
function quiet(url: string): Redis {
  const c = new Redis(url, { maxRetriesPerRequest: null });
  c.on('error', () => {});
  return c;
}

function sameTables(a: string, b: string): void {
  for (const f of files) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
}

describe('unreachable Redis', () => {
  it.each([['enqueue'], ['worker']])(
    'sweep %s exits 2 within seconds naming --redis',
    async (sub) => {
      const spec = specFile('unreachable', { study: 'lq', base: { iterations: 10 } });
      const started = Date.now();
      const args =
        sub === 'enqueue'
          ? ['sweep', 'enqueue', spec, '--redis', 'redis://127.0.0.1:1', '--out', join(root, 'never')]
          : ['sweep', 'worker', '--redis', 'redis://127.0.0.1:1'];
      const { code, text } = await cli(args);
      expect(code).toBe(2);
      expect(text).toMatch(/--redis: cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
      expect(Date.now() - started).toBeLessThan(6000);
    },
    20_000,
  );
});

describe('Redis in CI', () => {
  it('is provided to the tests', () => {
    expect(Boolean(REDIS) || !process.env.CI).toBe(true);
  });
});

describe.skipIf(!REDIS)('sweeps through Redis', () => {
  const url = REDIS as string;
  const SPEC = {
    study: 'lq',
    name: 'redis-test',
    base: { iterations: 2000, fitWindow: { from: 10, to: 2000 } },
    grid: { 'modelFree.lrScale': [0.03, 0.06, 0.1], 'model.A': [1, 100000] },
    seeds: { count: 3, chunk: 2 },
  };
  let reference = '';
  beforeAll(async () => {
    reference = await localReference('two', SPEC);
  }, 60_000);

  it('two worker processes give the local tables byte for byte (failed runs included)', async () => {
    const queue = queueName();
    const ws = [worker(url, queue), worker(url, queue)];
    const out = join(root, 'two-redis');
    const r = await cli([
      'sweep',
      'enqueue',
      specFile('two', SPEC),
      '--redis',
      url,
      '--queue',
      queue,
      '--wait',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.text).toMatch(/3 runs done, 3 failed/);
    await Promise.all(ws.map(stop));
    await collectStore(out, STUDIES, { plots: false });
    sameTables(out, reference);
    // re-enqueueing the same sweep adds nothing (deterministic job ids) and the store is complete
    const jobs = Number(/enqueued (\d+) jobs \(12 run × seed-chunk units\)/.exec(r.text)?.[1]);
    expect(jobs).toBeGreaterThan(0);
    const again = await cli(['sweep', 'enqueue', specFile('two', SPEC), '--redis', url, '--queue', queue]);
    expect(again.text).toMatch(new RegExp(`enqueued ${jobs} jobs`));
    const q = new Queue(queue, { connection: quiet(url) });
    expect(await q.getJobCountByTypes('completed', 'waiting', 'active', 'delayed', 'failed')).toBe(jobs);
    await q.close();
  }, 120_000);

  it('recovers the job of a worker killed mid-job and completes the sweep', async () => {
    // JS engine: long enough jobs to kill one mid-flight (same bits as WASM)
    const spec = {
      ...SPEC,
      base: { ...SPEC.base, iterations: 40_000, engine: 'js' },
      grid: { 'modelFree.lrScale': [0.03, 0.06] },
    };
    const queue = queueName();
    const file = specFile('kill', spec);
    const out = join(root, 'kill-redis');
    const q = new Queue(queue, { connection: quiet(url) });
    const victim = worker(url, queue);
    expect((await cli(['sweep', 'enqueue', file, '--redis', url, '--queue', queue, '--out', out])).code).toBe(
      0,
    );
    await until(async () => (await q.getActiveCount()) > 0, 60_000, 'an active job');
    victim.kill('SIGKILL');
    await exited(victim);
    const rescuer = worker(url, queue);
    const r = await cli(['sweep', 'enqueue', file, '--redis', url, '--queue', queue, '--wait', '--out', out]);
    expect(r.text).toMatch(/2 runs done, 0 failed/);
    const jobs = await q.getJobs(['completed']);
    expect(jobs.some((j) => j.stalledCounter > 0 || j.attemptsStarted > 1)).toBe(true);
    await stop(rescuer);
    await q.close();
    await collectStore(out, STUDIES, { plots: false });
    sameTables(out, await localReference('kill', spec));
  }, 180_000);

  it('survives a Redis restart mid-sweep (persistence on)', async () => {
    const port = await freePort();
    const dir = join(root, 'redis-data');
    mkdirSync(dir, { recursive: true });
    const startRedis = () => {
      const p = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--appendonly',
          'yes',
          '--appendfsync',
          'always',
          '--save',
          '',
        ],
        { stdio: 'ignore' },
      );
      children.push(p);
      return p;
    };
    const own = `redis://127.0.0.1:${port}`;
    let server = startRedis();
    const ping = new Redis(own, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 200 });
    ping.on('error', () => {});
    await until(async () => (await ping.ping().catch(() => '')) === 'PONG', 10_000, 'redis-server');
    const spec = {
      ...SPEC,
      base: { ...SPEC.base, iterations: 20_000, engine: 'js' },
      grid: { 'modelFree.lrScale': [0.03, 0.06, 0.1] },
    };
    const file = specFile('restart', spec);
    const out = join(root, 'restart-redis');
    const w = worker(own, 'restart');
    const waiter = spawnCli([
      'sweep',
      'enqueue',
      file,
      '--redis',
      own,
      '--queue',
      'restart',
      '--wait',
      '--out',
      out,
    ]);
    children.push(waiter);
    const q = new Queue('restart', { connection: quiet(own) });
    await until(
      async () => (await q.getCompletedCount().catch(() => 0)) > 0,
      60_000,
      'a first completed job',
    );
    server.kill('SIGTERM'); // graceful: the append-only file is complete
    await exited(server);
    await new Promise((r) => setTimeout(r, 500));
    server = startRedis();
    expect(await exited(waiter)).toBe(0);
    expect(waiter.output()).toMatch(/3 runs done, 0 failed/);
    await stop(w);
    await q.close();
    ping.disconnect();
    server.kill('SIGTERM');
    await exited(server);
    await collectStore(out, STUDIES, { plots: false });
    sameTables(out, await localReference('restart', spec));
  }, 180_000);
});
