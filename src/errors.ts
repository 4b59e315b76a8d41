/** Errors with a defined exit code: usage errors exit 2 before anything is written. */

/** Invalid flag or config value; the message names the field (`--iterations: must be …`). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The unit a kernel advances per step of its outer loop. */
export type NumericUnit = 'iteration' | 'episode' | 'event';

/** A kernel reported a non-finite value: carries where it happened (index is 1-based). */
export class NumericError extends Error {
  override readonly name = 'NumericError';
  constructor(
    readonly study: string,
    readonly run: number,
    readonly seed: number | undefined,
    readonly unit: NumericUnit,
    readonly index: number,
  ) {
    const seedText = seed === undefined ? '' : `, seed ${seed}`;
    super(`${study}: run ${run}${seedText}: non-finite value at ${unit} ${index}`);
  }
}

/** SIGINT or SIGTERM ended a run before its results were committed; the CLI exits 128 + signal number. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  constructor(
    readonly signal: 'SIGINT' | 'SIGTERM',
    readonly out: string,
  ) {
    super(`interrupted by ${signal}; ${out} was left as it was`);
  }

  get exitCode(): number {
    return this.signal === 'SIGINT' ? 130 : 143;
  }
}
