/**
 * The model-free regret study (spec §3, §5, §7): seeds → pool → per-seed φ₁ paths and cumulative
 * regret → curves over iterations (mean φ₁, MSE, mean regret, aggregated in seed order) → checkpoint
 * table and log-log slopes → files in --out.
 *
 * Files: phi1.npy (seeds × M, φ₁ after k updates at the indices in iterations.npy), regret.npy (the
 * same shape, cumulative regret R_k), curves.npy ((N+1) × 4: k, mean φ₁, MSE, mean R_k) and
 * summary.json. With --paths log, M ≈ 400 log-spaced indices plus the checkpoints; full: M = N+1.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { streamKey } from '../rng/streams.js';
import type { Runner } from '../runner/pool.js';
import { replicate } from '../runner/replicate.js';
import { fitLine, type LineFit, mean, quantile, sampleSd } from '../stats.js';
import { NpyRowWriter, writeNpy } from '../store/npy.js';
import type { LqStudyConfig, PathsMode } from './config.js';
import { eulerSteps } from './model.js';
import { optimalGain } from './oracle.js';
import type { ModelFreeTask, ModelFreeTaskResult } from './tasks.js';

/** The spec's checkpoint iterations (§7). */
export const CHECKPOINTS = [2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000];

export interface CheckpointRow {
  readonly iteration: number;
  readonly meanPhi1: number;
  readonly sdPhi1: number;
  readonly medianPhi1: number;
  readonly lnMse: number;
  readonly meanRegret: number;
}

export interface ModelFreeStudyResult {
  readonly checkpoints: CheckpointRow[];
  readonly mseSlope: LineFit | null;
  readonly regretSlope: LineFit | null;
  readonly final: {
    readonly minPhi1: number;
    readonly maxPhi1: number;
    readonly atClampLo: number;
    readonly atClampHi: number;
  };
  readonly steps: number;
  readonly files: string[];
}

/** Stored path indices: every k, or ≈400 log-spaced k plus the checkpoints and N. */
export function storedIndices(iterations: number, mode: PathsMode): Int32Array {
  if (mode === 'full') return Int32Array.from({ length: iterations + 1 }, (_, k) => k);
  const set = new Set<number>([0, iterations]);
  for (let j = 0; j <= 400; j++) set.add(Math.round(Math.exp((j / 400) * Math.log(iterations + 1))) - 1);
  for (const c of CHECKPOINTS) if (c <= iterations) set.add(c);
  return Int32Array.from([...set].filter((k) => k >= 0 && k <= iterations).sort((a, b) => a - b));
}

/** Fits ln(curve_k) on ln(k+1) over k+1 ∈ [from, to]; null when fewer than 3 points fall inside. */
export function logLogSlope(curve: Float64Array, from: number, to: number): LineFit | null {
  const lo = Math.max(from, 1) - 1,
    hi = Math.min(to, curve.length) - 1;
  if (hi - lo + 1 < 3) return null;
  const x = new Float64Array(hi - lo + 1),
    y = new Float64Array(hi - lo + 1);
  for (let k = lo; k <= hi; k++) {
    x[k - lo] = Math.log(k + 1);
    y[k - lo] = Math.log(curve[k] as number);
  }
  return fitLine(x, y);
}

export async function runModelFreeStudy(
  cfg: LqStudyConfig,
  runner: Runner,
  signal?: AbortSignal,
): Promise<ModelFreeStudyResult> {
  const N = cfg.iterations;
  const phiStar = optimalGain(cfg.model);
  const idx = storedIndices(N, cfg.paths);
  const checkpointIters = [...new Set([...CHECKPOINTS.filter((c) => c <= N), N])].sort((a, b) => a - b);

  const sumPhi = new Float64Array(N + 1);
  const sumSqErr = new Float64Array(N + 1);
  const sumRegret = new Float64Array(N + 1);
  const atCheckpoints = checkpointIters.map(() => ({ phi1: new Float64Array(cfg.seeds), regret: 0 }));

  mkdirSync(cfg.out, { recursive: true });
  const files: string[] = [];
  const writers =
    cfg.paths === 'none'
      ? []
      : [
          new NpyRowWriter(join(cfg.out, 'phi1.npy'), [cfg.seeds, idx.length]),
          new NpyRowWriter(join(cfg.out, 'regret.npy'), [cfg.seeds, idx.length]),
        ];
  const row = new Float64Array(idx.length);
  const writeRow = (w: NpyRowWriter | undefined, src: Float64Array) => {
    if (!w) return;
    for (let j = 0; j < idx.length; j++) row[j] = src[idx[j] as number] as number;
    w.append(row);
  };

  const payloads: ModelFreeTask[] = Array.from({ length: cfg.seeds }, (_, i) => {
    const seed = cfg.firstSeed + i;
    return {
      experiment: cfg.experiment,
      run: 0,
      seed,
      key: streamKey(cfg.experiment, 0, seed),
      engine: cfg.engine,
      model: cfg.model,
      settings: cfg.settings,
      iterations: N,
    };
  });

  try {
    await replicate<ModelFreeTask, ModelFreeTaskResult>(
      runner,
      'lq-model-free',
      payloads,
      (i, r) => {
        for (let k = 0; k <= N; k++) {
          const p = r.phi1[k] as number;
          sumPhi[k] = (sumPhi[k] as number) + p;
          sumSqErr[k] = (sumSqErr[k] as number) + (p - phiStar) * (p - phiStar);
          sumRegret[k] = (sumRegret[k] as number) + (r.regret[k] as number);
        }
        checkpointIters.forEach((c, j) => {
          (atCheckpoints[j] as { phi1: Float64Array }).phi1[i] = r.phi1[c] as number;
        });
        writeRow(writers[0], r.phi1);
        writeRow(writers[1], r.regret);
      },
      signal,
    );
    for (const w of writers) w.commit();
  } catch (err) {
    for (const w of writers) w.abort();
    throw err;
  }
  if (writers.length) {
    writeNpy(join(cfg.out, 'iterations.npy'), idx);
    files.push('phi1.npy', 'regret.npy', 'iterations.npy');
  }

  const S = cfg.seeds;
  const mse = sumSqErr.map((v) => v / S);
  const meanRegret = sumRegret.map((v) => v / S);
  const curves = new Float64Array((N + 1) * 4);
  for (let k = 0; k <= N; k++) {
    curves.set([k, (sumPhi[k] as number) / S, mse[k] as number, meanRegret[k] as number], k * 4);
  }
  writeNpy(join(cfg.out, 'curves.npy'), curves, [N + 1, 4]);
  files.push('curves.npy');

  const checkpoints = checkpointIters.map((c, j) => {
    const phi1 = (atCheckpoints[j] as { phi1: Float64Array }).phi1;
    return {
      iteration: c,
      meanPhi1: mean(phi1),
      sdPhi1: S > 1 ? sampleSd(phi1) : 0,
      medianPhi1: quantile(phi1, 0.5),
      lnMse: Math.log(mse[c] as number),
      meanRegret: meanRegret[c] as number,
    };
  });
  const last = (atCheckpoints.at(-1) as { phi1: Float64Array }).phi1;
  return {
    checkpoints,
    mseSlope: logLogSlope(mse, cfg.fitFrom, cfg.fitTo),
    regretSlope: logLogSlope(meanRegret, cfg.fitFrom, cfg.fitTo),
    final: {
      minPhi1: Math.min(...last),
      maxPhi1: Math.max(...last),
      atClampLo: last.filter((p) => p === cfg.settings.phiLo).length,
      atClampHi: last.filter((p) => p === cfg.settings.phiHi).length,
    },
    steps: S * N * eulerSteps(cfg.model),
    files,
  };
}
