/**
 * Replications over the pool, consumed in index order: results are handed to `consume` strictly as
 * 0, 1, 2, …, whatever order workers finish in, so every aggregate is identical for any worker count.
 */
import type { Runner } from './pool.js';

export async function replicate<P, R>(
  runner: Runner,
  kind: string,
  payloads: readonly P[],
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
    payloads.map((p, i) =>
      runner.run<R>(kind, p, signal).then(
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
