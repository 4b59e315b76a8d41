/**
 * The LQ study's flat, validated config (CleanRL style: every knob has a default = the paper's study).
 * Raw CLI strings go in; a typed config or a UsageError naming the flag comes out.
 */
import { z } from 'zod';
import { nonNegativeIntFlag, parseFlags, positiveIntFlag, workersFlag } from '../flags.js';
import type { Engine } from '../kernels/engine.js';
import {
  DEFAULT_MODEL,
  DEFAULT_MODEL_BASED,
  DEFAULT_MODEL_FREE,
  type LqModel,
  type ModelBasedSettings,
  type ModelFreeSettings,
} from './model.js';

export type Algo = 'model-free' | 'model-based';
/** Which φ₁ iterations the path files keep: a log-spaced subset, every one, or none. */
export type PathsMode = 'log' | 'full' | 'none';

export interface LqStudyConfig {
  readonly experiment: string;
  readonly algo: Algo;
  readonly seeds: number;
  /** Seed indices are firstSeed … firstSeed + seeds − 1 (the paper's are 1 … 120). */
  readonly firstSeed: number;
  readonly iterations: number;
  readonly workers: number | 'auto';
  readonly engine: Engine;
  readonly out: string;
  readonly paths: PathsMode;
  /** Slope-fit window over the plotted iteration index (spec §5: [5000, 200000]). */
  readonly fitFrom: number;
  readonly fitTo: number;
  readonly model: LqModel;
  readonly modelFree: ModelFreeSettings;
  readonly modelBased: ModelBasedSettings;
}

/** Defaults of `quantrl lq` (the model-free study of the paper's notebook: 200,000 iterations). */
export const LQ_DEFAULTS = {
  experiment: 'lq-actor-critic',
  algo: 'model-free',
  seeds: 120,
  firstSeed: 1,
  iterations: 200_000,
  workers: 'auto',
  engine: 'wasm-simd',
  out: 'results/lq',
  paths: 'log',
  fitWindow: '5000:200000',
} as const;

/** Defaults of `quantrl regret-study` (the paper's comparison: 400,000 iterations, same fit window). */
export const REGRET_STUDY_DEFAULTS = {
  ...LQ_DEFAULTS,
  iterations: 400_000,
  out: 'results/regret-study',
} as const;

export type LqDefaults = { readonly [K in keyof typeof LQ_DEFAULTS]: string | number };

/**
 * Largest --iterations: the kernel holds the whole schedule (32 bytes per iteration) in one block, and
 * its allocator's blocks stay below 1 GiB.
 */
export const MAX_ITERATIONS = 30_000_000;
const schema = z.object({
  algo: z.enum(['model-free', 'model-based'], { message: "must be 'model-free' or 'model-based'" }),
  seeds: positiveIntFlag(100_000),
  firstSeed: nonNegativeIntFlag(2 ** 31),
  iterations: positiveIntFlag(MAX_ITERATIONS),
  workers: workersFlag,
  engine: z.enum(['wasm-simd', 'wasm', 'js'], { message: "must be 'wasm-simd', 'wasm' or 'js'" }),
  out: z.string().min(1, { message: 'must be a directory path' }),
  paths: z.enum(['log', 'full', 'none'], { message: "must be 'log', 'full' or 'none'" }),
  fitWindow: z
    .string()
    .regex(/^\d+:\d+$/, { message: "must be 'FROM:TO' with positive integers" })
    .refine((s) => {
      const [a, b] = s.split(':').map(Number);
      return (a as number) >= 1 && (a as number) < (b as number);
    }, 'must satisfy 1 ≤ FROM < TO'),
});

export type RawLqOptions = Partial<Record<keyof z.input<typeof schema>, unknown>>;

const FLAG: Record<string, string> = {
  algo: '--algo',
  seeds: '--seeds',
  firstSeed: '--first-seed',
  iterations: '--iterations',
  workers: '--workers',
  engine: '--engine',
  out: '--out',
  paths: '--paths',
  fitWindow: '--fit-window',
};

/** Validates raw options (CLI strings or numbers); throws UsageError naming the first bad flag. */
export function parseLqConfig(raw: RawLqOptions, defaults: LqDefaults = LQ_DEFAULTS): LqStudyConfig {
  const v = parseFlags(schema, { ...defaults, ...stripUndefined(raw) }, FLAG);
  const [fitFrom, fitTo] = v.fitWindow.split(':').map(Number) as [number, number];
  return {
    experiment: LQ_DEFAULTS.experiment,
    algo: v.algo,
    seeds: v.seeds,
    firstSeed: v.firstSeed,
    iterations: v.iterations,
    workers: v.workers,
    engine: v.engine,
    out: v.out,
    paths: v.paths,
    fitFrom,
    fitTo,
    model: DEFAULT_MODEL,
    modelFree: DEFAULT_MODEL_FREE,
    modelBased: DEFAULT_MODEL_BASED,
  };
}

function stripUndefined(raw: RawLqOptions): RawLqOptions {
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
}
