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
