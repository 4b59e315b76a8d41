/**
 * The LQ study's tidy tables: `checkpoints` (one row per algorithm × seed × stored iteration) and
 * `curves` (one row per algorithm × iteration, every iteration). Both algorithms of a run share one
 * table, told apart by the `algorithm` column.
 */
import { defineTable, type TableFiles, TableRows, writeTable } from '../store/table.js';
import type { AlgorithmResult } from './study.js';

const ITERATION_DOC =
  'iteration label: k = updates done (model-free, 0 … N) or n = episode whose gain this is (model-based, 1 … N)';

export const LQ_CHECKPOINTS = defineTable({
  name: 'checkpoints',
  doc: 'Per-seed learning paths at the stored iterations (the iterations of iterations.npy).',
  columns: [
    { name: 'algorithm', type: 'string', unit: '', doc: "'model-free' or 'model-based'" },
    { name: 'seed', type: 'i32', unit: '', doc: 'seed index (the random stream depends only on it)' },
    { name: 'iteration', type: 'i32', unit: 'episodes', doc: ITERATION_DOC },
    { name: 'phi1', type: 'f64', unit: '', doc: 'the learned policy gain φ₁ at this iteration' },
    {
      name: 'cumulative_regret',
      type: 'f64',
      unit: '',
      doc: 'exact cumulative regret up to this iteration, Σ (J* − J(φ₁ used))',
    },
    { name: 'squared_error', type: 'f64', unit: '', doc: '(φ₁ − φ₁*)², φ₁* the optimal gain' },
  ],
});

export const LQ_CURVES = defineTable({
  name: 'curves',
  doc: 'Means over seeds at every iteration (the columns of curves.npy, named).',
  columns: [
    { name: 'algorithm', type: 'string', unit: '', doc: "'model-free' or 'model-based'" },
    { name: 'iteration', type: 'i32', unit: 'episodes', doc: ITERATION_DOC },
    { name: 'mean_phi1', type: 'f64', unit: '', doc: 'mean of φ₁ over seeds' },
    { name: 'mse', type: 'f64', unit: '', doc: 'mean over seeds of (φ₁ − φ₁*)²' },
    { name: 'mean_regret', type: 'f64', unit: '', doc: 'mean over seeds of the cumulative regret' },
  ],
});

/** Writes checkpoints.{parquet,csv} and curves.{parquet,csv} for the algorithms of one run. */
export function writeLqTables(
  dir: string,
  results: readonly AlgorithmResult[],
  phiStar: number,
): TableFiles[] {
  const cp = new TableRows(LQ_CHECKPOINTS);
  for (const r of results) {
    const labels = Array.from(r.stored.position, (p) => (r.algo === 'model-free' ? p : p + 1));
    r.perSeed.phi1.forEach((phiRow, s) => {
      const regretRow = r.perSeed.regret[s] as Float64Array;
      labels.forEach((iteration, j) => {
        const phi1 = phiRow[j] as number;
        cp.push({
          algorithm: r.algo,
          seed: r.perSeed.firstSeed + s,
          iteration,
          phi1,
          cumulative_regret: regretRow[j] as number,
          squared_error: (phi1 - phiStar) * (phi1 - phiStar),
        });
      });
    });
  }
  const rows = results.reduce((n, r) => n + r.curves.length / 4, 0);
  const curves = {
    algorithm: new Array<string>(rows),
    iteration: new Int32Array(rows),
    mean_phi1: new Float64Array(rows),
    mse: new Float64Array(rows),
    mean_regret: new Float64Array(rows),
  };
  let i = 0;
  for (const r of results)
    for (let k = 0; k < r.curves.length; k += 4, i++) {
      curves.algorithm[i] = r.algo;
      curves.iteration[i] = r.curves[k] as number;
      curves.mean_phi1[i] = r.curves[k + 1] as number;
      curves.mse[i] = r.curves[k + 2] as number;
      curves.mean_regret[i] = r.curves[k + 3] as number;
    }
  return [writeTable(dir, LQ_CHECKPOINTS, cp.data()), writeTable(dir, LQ_CURVES, curves)];
}
