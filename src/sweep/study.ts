/**
 * What a study gives the sweep engine, declared once per study (src/<study>/sweep.ts) and collected in
 * the registry at the composition root (src/studies.ts). The engine itself knows no study.
 */
import type { z } from 'zod';
import type { TaskContext } from '../runner/task.js';

export interface MetricSpec {
  /** snake_case column name in runs.parquet. */
  readonly name: string;
  readonly unit: string;
  readonly doc: string;
}

/** One seed of a run: its index and the key of its random stream. */
export interface SeedKey {
  readonly seed: number;
  readonly key: bigint;
}

export interface SweepStudy<C = unknown> {
  readonly name: string;
  readonly description: string;
  /** Strict schema of the study's config; every field defaulted to the spec's study. */
  readonly schema: z.ZodType<C>;
  /** The fully defaulted config (what `base: {}` resolves to): the tree of valid config paths. */
  readonly defaults: C;
  /** Stream family of the study: seed i of every run draws from key(experiment, 0, i) by default. */
  experiment(config: C): string;
  /** The per-seed metrics a run of this config produces, in column order. */
  metrics(config: C): readonly MetricSpec[];
  /** Metrics plotted against every swept parameter in the report. */
  readonly headline: readonly string[];
  /** Estimated nanoseconds of one seed on one core (tiny runs are packed several to a task). */
  cost(config: C): number;
  /**
   * Runs the given seeds in a pool worker and returns one row per seed, values in metrics() order
   * (NaN for a metric the seed cannot define). Throws on a numeric fault.
   */
  runSeeds(config: C, seeds: readonly SeedKey[], ctx: TaskContext, run: number): Float64Array[];
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds studies of different config types
export type StudyRegistry = Readonly<Record<string, SweepStudy<any>>>;
