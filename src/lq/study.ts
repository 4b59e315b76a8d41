/**
 * One algorithm of the LQ regret study over many seeds (spec §5, §7): seeds → pool → per-seed φ₁ and
 * exact cumulative regret → aggregates consumed in seed order → checkpoint table, bands, slopes, files.
 *
 * Positions i = 0 … L−1 of a seed's lists are plotted at iteration i+1: model-free lists hold φ₁ after
 * k = i updates (L = N+1), model-based lists the gain φ̂₁ₙ run in episode n = i+1 (L = N).
 * Means over seeds are exact at every position (running sums). Medians and quartiles need every seed,
 * so they are kept at ≈ 800 stored positions: ≈ 400 log-spaced ones for the plots plus a uniform grid
 * over the fit window, on which a uniform subsample gives the same OLS slope as every position.
 */
import { join } from 'node:path';
import { nextWord, OUT_HI, OUT_LO, streamFromKey, unitFromWord } from '../baseline/rng.js';
import type { Engine } from '../kernels/engine.js';
import { streamKey } from '../rng/streams.js';
import type { Runner } from '../runner/pool.js';
import { replicateInSlots } from '../runner/replicate.js';
import { fitLine, mean, quantile, quantiles, sampleSd } from '../stats.js';
import { NpyRowWriter, writeNpy } from '../store/npy.js';
import type { Algo, PathsMode } from './config.js';
import { eulerSteps, type LqModel, type ModelBasedSettings, type ModelFreeSettings } from './model.js';
import { optimalGain } from './oracle.js';
import { LQ_TASKS, type ModelBasedTask, type ModelFreeTask, type SeedPaths } from './tasks.js';

/** Checkpoint iterations of spec §7 (model-based table and model-free table), plus N. */
export const CHECKPOINTS = [
  10, 100, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 400_000,
];
const LOG_POINTS = 400;
const GRID_POINTS = 400;
const BOOTSTRAP = 400;

export interface AlgorithmRun {
  readonly experiment: string;
  readonly algo: Algo;
  readonly seeds: number;
  readonly firstSeed: number;
  readonly iterations: number;
  readonly engine: Engine;
  readonly model: LqModel;
  readonly modelFree: ModelFreeSettings;
  readonly modelBased: ModelBasedSettings;
  readonly fitFrom: number;
  readonly fitTo: number;
  readonly paths: PathsMode;
  readonly out: string;
  /** File name prefix, e.g. 'model-free.' when several algorithms share one folder. */
  readonly prefix: string;
}

export interface CheckpointRow {
  /** k (updates done) for model-free, n (episode) for model-based. */
  readonly iteration: number;
  readonly meanPhi1: number;
  readonly sdPhi1: number;
  readonly medianPhi1: number;
  readonly lnMse: number;
  readonly meanRegret: number;
  readonly medianRegret: number;
  readonly atClampLo: number;
  readonly atClampHi: number;
  /** Mean and sd of φ₁ over the seeds not at the lower clamp (the model-based §7 statistic). */
  readonly meanPhi1OffClamp: number | null;
  readonly sdPhi1OffClamp: number | null;
}

export interface SlopeFit {
  readonly slope: number;
  readonly intercept: number;
  /** 95 % percentile interval over a bootstrap of seeds (400 resamples). */
  readonly ci95: readonly [number, number];
  /** OLS standard error (treats neighbouring iterations as independent: far too small). */
  readonly olsSe: number;
  readonly points: number;
  /** The curve fitted: mean or median over seeds; over every position or the uniform window grid. */
  readonly curve: string;
  /** The iterations actually fitted: the requested window clipped to the run. */
  readonly window: readonly [number, number];
}

export interface AlgorithmResult {
  readonly algo: Algo;
  readonly iterations: number;
  readonly checkpoints: CheckpointRow[];
  readonly slopes: { readonly lnMse: SlopeFit | null; readonly lnRegret: SlopeFit | null };
  /** Stored positions and per-position summaries there (for plots). */
  readonly stored: {
    readonly position: Int32Array;
    readonly mse: Float64Array;
    readonly regret: Float64Array;
    readonly sqErr: Quartiles;
    readonly regretBand: Quartiles;
  };
  /** Every seed's φ₁ and cumulative regret at the stored positions (rows in seed order). */
  readonly perSeed: {
    readonly firstSeed: number;
    readonly phi1: readonly Float64Array[];
    readonly regret: readonly Float64Array[];
  };
  /** Row-major (L × 4): iteration, mean φ₁, MSE, mean regret at every iteration (= curves.npy). */
  readonly curves: Float64Array;
  readonly steps: number;
  readonly files: string[];
}

export interface Quartiles {
  readonly q25: Float64Array;
  readonly q50: Float64Array;
  readonly q75: Float64Array;
}

/** The algorithm's list length for N iterations and the position of an iteration label. */
export function listLength(algo: Algo, iterations: number): number {
  return algo === 'model-free' ? iterations + 1 : iterations;
}
function positionOf(algo: Algo, label: number): number {
  return algo === 'model-free' ? label : label - 1;
}
function labelOf(algo: Algo, position: number): number {
  return algo === 'model-free' ? position : position + 1;
}

/** The fit window actually used for a run of `length` positions: [from, to] clipped to the run. */
export function effectiveWindow(length: number, from: number, to: number): [number, number] {
  return [Math.max(from, 1), Math.min(to, length)];
}

/** Positions of the uniform fit grid: plotted iterations i+1 in [from, to]. */
export function fitGrid(length: number, from: number, to: number): Int32Array {
  const lo = Math.max(from, 1) - 1,
    hi = Math.min(to, length) - 1;
  if (hi - lo + 1 < 3) return new Int32Array(0);
  const n = Math.min(GRID_POINTS, hi - lo + 1);
  return Int32Array.from({ length: n }, (_, j) => lo + Math.round((j * (hi - lo)) / (n - 1)));
}

/** Stored positions: every one, or log-spaced ∪ fit grid ∪ checkpoints. */
export function storedPositions(
  algo: Algo,
  iterations: number,
  mode: PathsMode,
  fitFrom: number,
  fitTo: number,
): Int32Array {
  const length = listLength(algo, iterations);
  if (mode === 'full') return Int32Array.from({ length }, (_, i) => i);
  const set = new Set<number>([0, length - 1]);
  for (let j = 0; j <= LOG_POINTS; j++)
    set.add(Math.round(Math.exp((j / LOG_POINTS) * Math.log(length))) - 1);
  for (const p of fitGrid(length, fitFrom, fitTo)) set.add(p);
  for (const c of checkpointLabels(iterations)) set.add(positionOf(algo, c));
  return Int32Array.from([...set].filter((p) => p >= 0 && p < length).sort((a, b) => a - b));
}

function checkpointLabels(iterations: number): number[] {
  return [...new Set([...CHECKPOINTS.filter((c) => c <= iterations), iterations])].sort((a, b) => a - b);
}

/** OLS of ln(curve) on ln(position+1) over the positions given. */
function logLogFit(positions: ArrayLike<number>, value: (p: number) => number) {
  const x = Float64Array.from(positions, (p) => Math.log(p + 1));
  const y = Float64Array.from(positions, (p) => Math.log(value(p)));
  return fitLine(x, y);
}

function rangeOf(lo: number, hi: number): Int32Array {
  return Int32Array.from({ length: Math.max(0, hi - lo + 1) }, (_, j) => lo + j);
}

/** Seed bootstrap of a slope on the grid: percentile 95 % interval. */
function bootstrapCi(
  rows: Float64Array[],
  gridCols: Int32Array,
  gridPositions: Int32Array,
  stat: (xs: Float64Array) => number,
  key: bigint,
): [number, number] {
  const S = rows.length;
  const stream = streamFromKey(key);
  const draw = () => {
    nextWord(stream);
    return unitFromWord(stream[OUT_HI] as number, stream[OUT_LO] as number);
  };
  const slopes = new Float64Array(BOOTSTRAP);
  const sample = new Float64Array(S);
  const picks = new Int32Array(S);
  for (let b = 0; b < BOOTSTRAP; b++) {
    for (let s = 0; s < S; s++) picks[s] = Math.floor(draw() * S);
    const curve = Float64Array.from(gridCols, (col) => {
      for (let s = 0; s < S; s++) sample[s] = (rows[picks[s] as number] as Float64Array)[col] as number;
      return stat(sample);
    });
    slopes[b] = fitLine(
      Float64Array.from(gridPositions, (p) => Math.log(p + 1)),
      Float64Array.from(curve, (v) => Math.log(v)),
    ).slope;
  }
  return [quantile(slopes, 0.025), quantile(slopes, 0.975)];
}

/** Seeds per job: pairs for the SIMD kernels (a last odd seed runs alone), else one. */
function seedsPerJob(engine: Engine): 1 | 2 {
  return engine === 'wasm-simd' ? 2 : 1;
}

/** Jobs in flight or awaiting their turn: enough to keep every worker busy, few enough to bound memory. */
function resultSlots(runner: Runner): number {
  return 2 * runner.threads + 2;
}

export async function runAlgorithm(
  cfg: AlgorithmRun,
  runner: Runner,
  signal?: AbortSignal,
): Promise<AlgorithmResult> {
  const { algo, seeds: S } = cfg;
  const L = listLength(algo, cfg.iterations);
  const phiStar = optimalGain(cfg.model);
  const settings = algo === 'model-free' ? cfg.modelFree : cfg.modelBased;
  const stored = storedPositions(
    algo,
    cfg.iterations,
    cfg.paths === 'full' ? 'full' : 'log',
    cfg.fitFrom,
    cfg.fitTo,
  );
  const M = stored.length;

  const sumPhi = new Float64Array(L);
  const sumSqErr = new Float64Array(L);
  const sumRegret = new Float64Array(L);
  const phiRows: Float64Array[] = [];
  const regretRows: Float64Array[] = [];

  const files: string[] = [];
  const name = (f: string) => `${cfg.prefix}${f}`;
  const writers =
    cfg.paths === 'none'
      ? []
      : [
          new NpyRowWriter(join(cfg.out, name('phi1.npy')), [S, M]),
          new NpyRowWriter(join(cfg.out, name('regret.npy')), [S, M]),
        ];

  const payloads: (ModelFreeTask | ModelBasedTask)[] = Array.from({ length: S }, (_, i) => {
    const seed = cfg.firstSeed + i;
    return {
      experiment: cfg.experiment,
      run: 0,
      seed,
      key: streamKey(cfg.experiment, 0, seed),
      engine: cfg.engine,
      model: cfg.model,
      settings,
      iterations: cfg.iterations,
    } as ModelFreeTask | ModelBasedTask;
  });
  const addSeed = (r: SeedPaths) => {
    for (let i = 0; i < L; i++) {
      const p = r.phi1[i] as number;
      sumPhi[i] = (sumPhi[i] as number) + p;
      sumSqErr[i] = (sumSqErr[i] as number) + (p - phiStar) * (p - phiStar);
      sumRegret[i] = (sumRegret[i] as number) + (r.regret[i] as number);
    }
    const phiRow = Float64Array.from(stored, (p) => r.phi1[p] as number);
    const regretRow = Float64Array.from(stored, (p) => r.regret[p] as number);
    phiRows.push(phiRow);
    regretRows.push(regretRow);
    writers[0]?.append(phiRow);
    writers[1]?.append(regretRow);
  };
  // Workers write each seed's φ₁ and regret into a slot of shared memory that is reused once the
  // seed has been consumed (in seed order), instead of transferring fresh buffers per seed.
  const perJob = seedsPerJob(cfg.engine);
  const slotBuffers = Array.from(
    { length: resultSlots(runner) },
    () => new SharedArrayBuffer(perJob * 2 * L * Float64Array.BYTES_PER_ELEMENT),
  );
  const jobs = Math.ceil(S / perJob);
  const seedsOf = (job: number) => payloads.slice(job * perJob, Math.min(S, (job + 1) * perJob));
  try {
    await replicateInSlots(
      runner,
      jobs,
      slotBuffers.length,
      (job, slot) => {
        const tasks = seedsOf(job).map((t, j) => ({
          ...t,
          sink: { buffer: slotBuffers[slot] as SharedArrayBuffer, offset: 2 * L * j },
        }));
        return tasks.length === 2
          ? { kind: algo === 'model-free' ? LQ_TASKS.modelFreePair : LQ_TASKS.modelBasedPair, payload: tasks }
          : { kind: algo === 'model-free' ? LQ_TASKS.modelFree : LQ_TASKS.modelBased, payload: tasks[0] };
      },
      (job, slot) => {
        seedsOf(job).forEach((_, j) => {
          const view = new Float64Array(slotBuffers[slot] as SharedArrayBuffer, 2 * L * j * 8, 2 * L);
          addSeed({ phi1: view.subarray(0, L), regret: view.subarray(L) });
        });
      },
      signal,
    );
    for (const w of writers) w.commit();
  } catch (err) {
    for (const w of writers) w.abort();
    throw err;
  }
  if (writers.length) {
    writeNpy(
      join(cfg.out, name('iterations.npy')),
      Int32Array.from(stored, (p) => labelOf(algo, p)),
    );
    files.push(name('phi1.npy'), name('regret.npy'), name('iterations.npy'));
  }
  const mse = sumSqErr.map((v) => v / S);
  const meanRegret = sumRegret.map((v) => v / S);
  const curves = new Float64Array(L * 4);
  for (let i = 0; i < L; i++) {
    curves.set(
      [labelOf(algo, i), (sumPhi[i] as number) / S, mse[i] as number, meanRegret[i] as number],
      i * 4,
    );
  }
  writeNpy(join(cfg.out, name('curves.npy')), curves, [L, 4]);
  files.push(name('curves.npy'));

  // per stored position: quartiles over seeds
  const column = (rows: Float64Array[], j: number) => Float64Array.from(rows, (r) => r[j] as number);
  const quartiles = (rows: Float64Array[], f: (v: number) => number): Quartiles => {
    const q25 = new Float64Array(M),
      q50 = new Float64Array(M),
      q75 = new Float64Array(M);
    for (let j = 0; j < M; j++) {
      [q25[j], q50[j], q75[j]] = quantiles(column(rows, j).map(f), [0.25, 0.5, 0.75]) as [
        number,
        number,
        number,
      ];
    }
    return { q25, q50, q75 };
  };
  const sqErr = (p: number) => (p - phiStar) * (p - phiStar);
  const sqErrBand = quartiles(phiRows, sqErr);
  const regretBand = quartiles(regretRows, (v) => v);

  const col = new Map<number, number>(Array.from(stored, (p, j) => [p, j]));
  const checkpoints = checkpointLabels(cfg.iterations).map((label): CheckpointRow => {
    const p = positionOf(algo, label);
    const phi = column(phiRows, col.get(p) as number);
    const regrets = column(regretRows, col.get(p) as number);
    const off = phi.filter((v) => v !== settings.phiLo);
    return {
      iteration: label,
      meanPhi1: mean(phi),
      sdPhi1: S > 1 ? sampleSd(phi) : 0,
      medianPhi1: quantile(phi, 0.5),
      lnMse: Math.log(mse[p] as number),
      meanRegret: meanRegret[p] as number,
      medianRegret: quantile(regrets, 0.5),
      atClampLo: S - off.length,
      atClampHi: phi.filter((v) => v === settings.phiHi).length,
      meanPhi1OffClamp: off.length ? mean(off) : null,
      sdPhi1OffClamp: off.length > 1 ? sampleSd(off) : null,
    };
  });

  // slopes: MSE (mean) on every position in the window; regret: mean (model-free, every position) or
  // median (model-based, the uniform grid), as the reference does; CIs by a bootstrap of seeds on the grid
  const grid = fitGrid(L, cfg.fitFrom, cfg.fitTo);
  const gridCols = Int32Array.from(grid, (p) => col.get(p) as number);
  const window = rangeOf(Math.max(cfg.fitFrom, 1) - 1, Math.min(cfg.fitTo, L) - 1);
  const bootKey = streamKey(`${cfg.experiment}/bootstrap/${algo}`, 0, 0);
  let lnMse: SlopeFit | null = null;
  let lnRegret: SlopeFit | null = null;
  if (grid.length >= 3 && S >= 2) {
    const mseFit = logLogFit(window, (p) => mse[p] as number);
    lnMse = {
      slope: mseFit.slope,
      intercept: mseFit.intercept,
      olsSe: mseFit.slopeSe,
      points: mseFit.points,
      ci95: bootstrapCi(
        phiRows.map((r) => r.map(sqErr)),
        gridCols,
        grid,
        mean,
        bootKey,
      ),
      curve: 'mean over seeds of (φ₁ − φ₁*)², every iteration in the window',
      window: effectiveWindow(L, cfg.fitFrom, cfg.fitTo),
    };
    const useMedian = algo === 'model-based';
    const stat = useMedian ? (xs: Float64Array) => quantile(xs, 0.5) : mean;
    const regretFit = useMedian
      ? logLogFit(grid, (p) => regretBand.q50[col.get(p) as number] as number)
      : logLogFit(window, (p) => meanRegret[p] as number);
    lnRegret = {
      slope: regretFit.slope,
      intercept: regretFit.intercept,
      olsSe: regretFit.slopeSe,
      points: regretFit.points,
      ci95: bootstrapCi(regretRows, gridCols, grid, stat, bootKey + 1n),
      curve: useMedian
        ? `median over seeds of cumulative regret, ${grid.length} evenly spaced iterations in the window`
        : 'mean over seeds of cumulative regret, every iteration in the window',
      window: effectiveWindow(L, cfg.fitFrom, cfg.fitTo),
    };
  }
  return {
    algo,
    iterations: cfg.iterations,
    checkpoints,
    slopes: { lnMse, lnRegret },
    stored: {
      position: stored,
      mse: Float64Array.from(stored, (p) => mse[p] as number),
      regret: Float64Array.from(stored, (p) =>
        algo === 'model-based' ? (regretBand.q50[col.get(p) as number] as number) : (meanRegret[p] as number),
      ),
      sqErr: sqErrBand,
      regretBand,
    },
    perSeed: { firstSeed: cfg.firstSeed, phi1: phiRows, regret: regretRows },
    curves,
    steps: S * cfg.iterations * eulerSteps(cfg.model),
    files,
  };
}
