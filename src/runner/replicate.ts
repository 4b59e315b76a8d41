/**
 * Replications over the pool, consumed in index order: results are handed to `consume` strictly as
 * 0, 1, 2, …, whatever order workers finish in, so every aggregate is identical for any worker count.
 */
import type { Runner } from './pool.js';

export interface Job {
  readonly kind: string;
  readonly payload: unknown;
}

/** Runs jobs (possibly of different kinds) and consumes their results in job order. */
export async function replicateJobs<R>(
  runner: Runner,
  jobs: readonly Job[],
  consume: (index: number, result: R) => void,
  signal?: AbortSignal,
): Promise<void> {
  const pending = new Map<number, R>();
  let next = 0;
  let failed = false;
  const drain = () => {
    while (!failed && pending.has(next)) {
      const r = pending.get(next) as R;
      pending.delete(next);
      consume(next, r);
      next++;
    }
  };
  await Promise.all(
    jobs.map((job, i) =>
      runner.run<R>(job.kind, job.payload, signal).then(
        (r) => {
          pending.set(i, r);
          drain();
        },
        (err: unknown) => {
          failed = true; // nothing more is consumed once any replication has failed
          throw err;
        },
      ),
    ),
  );
}

/** Runs one task kind over many payloads and consumes the results in payload order. */
export function replicate<P, R>(
  runner: Runner,
  kind: string,
  payloads: readonly P[],
  consume: (index: number, result: R) => void,
  signal?: AbortSignal,
): Promise<void> {
  return replicateJobs(
    runner,
    payloads.map((payload) => ({ kind, payload })),
    consume,
    signal,
  );
}

/**
 * As replicateJobs, but with at most `slots` jobs dispatched and not yet consumed: job i is built with
 * the slot it owns (e.g. a region of a shared buffer to write its results into) and the slot is
 * reused once job i has been consumed. Memory stays bounded however many jobs there are. No
 * deadlock: jobs are dispatched in index order, so the next job to consume always holds a slot.
 */
export function replicateInSlots(
  runner: Runner,
  count: number,
  slots: number,
  makeJob: (index: number, slot: number) => Job,
  consume: (index: number, slot: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const free = Array.from({ length: slots }, (_, s) => s);
    const finished = new Map<number, number>(); // job index → its slot
    let dispatched = 0;
    let consumed = 0;
    let failed = false;
    const fail = (err: unknown) => {
      if (!failed) reject(err);
      failed = true;
    };
    const pump = () => {
      while (!failed && consumed < count && finished.has(consumed)) {
        const slot = finished.get(consumed) as number;
        finished.delete(consumed);
        try {
          consume(consumed, slot);
        } catch (err) {
          fail(err);
          return;
        }
        consumed++;
        free.push(slot);
      }
      if (failed) return;
      if (consumed === count) {
        resolve();
        return;
      }
      while (dispatched < count && free.length) {
        const index = dispatched++;
        const slot = free.shift() as number;
        const job = makeJob(index, slot);
        runner.run(job.kind, job.payload, signal).then(() => {
          finished.set(index, slot);
          pump();
        }, fail);
      }
    };
    pump();
  });
}
