/**
 * Distributed sweeps on BullMQ (Redis): the same (run, seed-chunk) tasks as the local runner, as jobs
 * with deterministic ids (`r-<runId>-c<chunk>`, so re-enqueueing deduplicates), retried with
 * exponential backoff, recovered when a worker dies mid-job (stalled-job check). Workers need no
 * shared filesystem: a job carries its whole payload and returns its metric rows, which Redis keeps
 * until a collector (`enqueue --wait`, or `collect --redis`) writes them into the store — the same
 * records as local mode, hence the same tables.
 */
import { type Job, Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { UsageError } from '../errors.js';
import { Runner } from '../runner/pool.js';
import type { RunPlan, SweepPlan } from './spec.js';
import { decodeValue, openStore, PartWriter, storeState } from './store.js';
import { type PackPayload, type PackResult, SWEEP_TASK } from './task.js';
import { packTasks, RunAssembler, type SweepPack, sweepTasks } from './tasks.js';

export const DEFAULT_QUEUE = 'quantrl-sweep';
/** Attempts per job (a crash or a lost worker counts as one) and the first backoff delay. */
export const ATTEMPTS = 4;
const BACKOFF_MS = 1000;
const CONNECT_TIMEOUT_MS = 3000;

export interface JobData {
  readonly sweepId: string;
  /** (run index, seed chunk) of each unit, in payload order. */
  readonly units: readonly (readonly [number, number])[];
  readonly payload: PackPayload;
}

/** What a job returns through Redis (JSON), per unit: non-finite values as strings. */
export interface UnitResult {
  readonly values: readonly (number | string)[];
  readonly width: number;
  readonly studyMs: number;
  readonly error?: string;
}

export interface JobResult {
  readonly results: readonly UnitResult[];
}

/**
 * The jobs of a sweep: packs over the whole plan (so a job id never depends on what is already done),
 * keeping those with a unit of a run still to do.
 */
function sweepJobs(plan: SweepPlan, todo: readonly RunPlan[]): SweepPack[] {
  const pending = new Set(todo.map((r) => r.index));
  return packTasks(plan, sweepTasks(plan, plan.runs)).filter((p) =>
    p.units.some((u) => pending.has(u.run.index)),
  );
}

/** Checks the URL answers PING within a few seconds; otherwise a usage error naming --redis (exit 2). */
export async function probeRedis(url: string): Promise<void> {
  let client: Redis;
  try {
    client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: CONNECT_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
  } catch (err) {
    throw new UsageError(`--redis: '${url}' is not a Redis URL (${(err as Error).message})`);
  }
  client.on('error', () => {}); // reported through connect()'s rejection
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)),
      CONNECT_TIMEOUT_MS + 500,
    ).unref(),
  );
  try {
    await Promise.race([client.connect().then(() => client.ping()), timeout]);
  } catch (err) {
    throw new UsageError(`--redis: cannot reach Redis at ${url}: ${(err as Error).message || String(err)}`);
  } finally {
    client.disconnect();
  }
}

/** A long-lived connection: BullMQ needs commands to wait (not fail) while Redis restarts. */
function connection(url: string): Redis {
  const c = new Redis(url, { maxRetriesPerRequest: null });
  c.on('error', () => {}); // reconnects on its own; persistent failures surface as stalled progress
  return c;
}

export interface EnqueueOptions {
  readonly redis: string;
  readonly queue: string;
  readonly sweepId: string;
  /** Runs already in the store are not enqueued. */
  readonly skip: ReadonlySet<string>;
}

/** Adds the jobs of every run not yet done; returns them (existing job ids are kept as they are). */
export async function enqueueSweep(plan: SweepPlan, opts: EnqueueOptions): Promise<SweepPack[]> {
  const tasks = sweepJobs(
    plan,
    plan.runs.filter((r) => !opts.skip.has(r.runId)),
  );
  const conn = connection(opts.redis);
  const queue = new Queue<JobData>(opts.queue, { connection: conn });
  try {
    for (let i = 0; i < tasks.length; i += 1000) {
      await queue.addBulk(
        tasks.slice(i, i + 1000).map((t) => ({
          name: 'chunk',
          data: {
            sweepId: opts.sweepId,
            units: t.units.map((u) => [u.run.index, u.chunk] as const),
            payload: { units: t.units.map((u) => u.payload) },
          },
          opts: {
            jobId: t.jobId,
            attempts: ATTEMPTS,
            backoff: { type: 'exponential', delay: BACKOFF_MS },
            removeOnComplete: false,
            removeOnFail: false,
          },
        })),
      );
    }
  } finally {
    await queue.close();
    conn.disconnect();
  }
  return tasks;
}

export interface CollectOptions {
  readonly redis: string;
  readonly queue: string;
  readonly out: string;
  readonly code: string;
  /** Keep waiting until every task has a final result (else: one pass over what is finished). */
  readonly wait: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (settled: number, total: number) => void;
}

export interface RedisCounts {
  readonly done: number;
  readonly failed: number;
  readonly pending: number;
  readonly skipped: number;
  /** Summed over the results collected: milliseconds the workers spent in the studies' code. */
  readonly studyMs: number;
}

/**
 * Writes the finished runs' results from Redis into the store (part `redis`), optionally waiting for
 * all of them. Missing jobs (e.g. Redis restarted without persistence) are enqueued again.
 */
export async function collectFromRedis(plan: SweepPlan, opts: CollectOptions): Promise<RedisCounts> {
  const header = openStore(opts.out, plan, opts.code);
  const state = await storeState(opts.out);
  const todo = plan.runs.filter((r) => !state.done.has(r.runId));
  const pending = new Set(todo.map((r) => r.index));
  const jobs = sweepJobs(plan, todo);
  const byJob = new Map(jobs.map((t) => [t.jobId, t]));
  const unsettled = new Set(byJob.keys());
  let done = 0;
  let failed = 0;
  let studyMs = 0;
  const writer = new PartWriter(opts.out, 'redis');
  const assembler = new RunAssembler(plan, (rec) => {
    writer.append(rec);
    if (rec.status === 'ok') done++;
    else failed++;
  });
  const conn = connection(opts.redis);
  const queue = new Queue<JobData>(opts.queue, { connection: conn });
  const settle = (jobId: string, result: JobResult | null, failure: string | null) => {
    const job = byJob.get(jobId);
    if (!job || !unsettled.has(jobId)) return;
    unsettled.delete(jobId);
    for (const [k, u] of job.units.entries()) {
      if (!pending.has(u.run.index)) continue; // done before this collection
      const r = result?.results[k];
      studyMs += r?.studyMs ?? 0;
      const err = failure ?? r?.error;
      if (err || !r) assembler.chunkFailed(u.run, u.chunk, err ?? 'no result');
      else assembler.chunkDone(u.run, u.chunk, r.values.map(decodeValue), r.width);
    }
    opts.onProgress?.(jobs.length - unsettled.size, jobs.length);
  };
  const reconcile = async () => {
    const ids = [...unsettled];
    const missing: SweepPack[] = [];
    for (let i = 0; i < ids.length; i += 256) {
      const found = await Promise.all(ids.slice(i, i + 256).map((id) => queue.getJob(id)));
      for (const [k, job] of found.entries()) {
        const id = ids[i + k] as string;
        if (!job) missing.push(byJob.get(id) as SweepPack);
        else if (job.finishedOn && job.returnvalue) settle(id, job.returnvalue as JobResult, null);
        else if (job.finishedOn && (await job.isFailed())) settle(id, null, job.failedReason || 'failed');
      }
    }
    if (missing.length && opts.wait)
      await enqueueSweep(plan, {
        redis: opts.redis,
        queue: opts.queue,
        sweepId: header.sweepId,
        skip: new Set(state.done.keys()),
      });
  };
  let events: QueueEvents | undefined;
  const eventsConn = opts.wait ? connection(opts.redis) : undefined;
  try {
    if (eventsConn) {
      events = new QueueEvents(opts.queue, { connection: eventsConn });
      events.on('completed', ({ jobId, returnvalue }) =>
        settle(
          jobId,
          (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as JobResult,
          null,
        ),
      );
      events.on('retries-exhausted', ({ jobId }) => {
        void queue.getJob(jobId).then((job) => job && settle(jobId, null, job.failedReason || 'failed'));
      });
      await events.waitUntilReady();
    }
    await reconcile();
    while (opts.wait && unsettled.size && !opts.signal?.aborted) {
      await new Promise((r) => setTimeout(r, 2000));
      await reconcile();
    }
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('interrupted');
  } finally {
    writer.close();
    await events?.close();
    eventsConn?.disconnect();
    await queue.close();
    conn.disconnect();
  }
  const pendingRuns = new Set(
    [...unsettled]
      .flatMap((id) => byJob.get(id)?.units.map((u) => u.run.index) ?? [])
      .filter((r) => pending.has(r)),
  );
  return { done, failed, pending: pendingRuns.size, skipped: plan.runs.length - todo.length, studyMs };
}

export interface WorkerOptions {
  readonly redis: string;
  readonly queue: string;
  readonly workers: number;
  /** Lock duration and stalled-check interval: a dead worker's job returns to the queue after about this. */
  readonly stalledMs: number;
  readonly signal: AbortSignal;
  readonly onJob?: (job: Job<JobData>) => void;
}

/** Serves jobs with a local pool until the signal fires; finishes the jobs in hand before returning. */
export async function runWorker(opts: WorkerOptions): Promise<number> {
  const runner = await Runner.open({ workers: opts.workers });
  const conn = connection(opts.redis);
  let served = 0;
  const worker = new Worker<JobData, JobResult>(
    opts.queue,
    async (job) => {
      opts.onJob?.(job);
      const { results } = await runner.run<PackResult>(SWEEP_TASK, job.data.payload);
      served++;
      return {
        results: results.map((r) => ({
          values: Array.from(r.values, (v) => (Number.isFinite(v) ? v : String(v))),
          width: r.width,
          studyMs: r.studyMs,
          ...(r.error ? { error: r.error } : {}),
        })),
      };
    },
    {
      connection: conn,
      concurrency: opts.workers,
      lockDuration: opts.stalledMs,
      stalledInterval: opts.stalledMs,
      maxStalledCount: ATTEMPTS,
    },
  );
  worker.on('error', () => {}); // connection loss while Redis restarts: the worker reconnects
  await new Promise<void>((resolve) => {
    if (opts.signal.aborted) resolve();
    opts.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await worker.close();
  conn.disconnect();
  await runner.close();
  return served;
}
