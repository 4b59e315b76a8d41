/**
 * The LQ tidy tables hold the same numbers as the .npy files, read back by DuckDB; summary.json and
 * report.md state the fit window actually used when the requested one runs past the run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { readNpy } from '../../src/store/npy.js';
import { duckdbRows, sqlPath } from '../support/duckdb.js';

const out = mkdtempSync(join(tmpdir(), 'quantrl-lq-tables-'));
const SEEDS = 3;
const N = 1200;
beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  const argv = ['regret-study', '--seeds', `${SEEDS}`, '--first-seed', '4', '--iterations', `${N}`];
  const code = await main([...argv, '--workers', '1', '--out', out, '--fit-window', '200:100000']);
  vi.restoreAllMocks();
  expect(code).toBe(0);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

const npy = (f: string) => readNpy(readFileSync(join(out, f)));

describe('LQ tables', () => {
  for (const algo of ['model-free', 'model-based']) {
    it(`checkpoints holds ${algo}'s per-seed φ₁ and regret of the .npy files`, async () => {
      const phi = npy(`${algo}.phi1.npy`);
      const regret = npy(`${algo}.regret.npy`);
      const iters = npy(`${algo}.iterations.npy`).data as Int32Array;
      const rows = await duckdbRows(
        `SELECT seed, iteration, phi1, cumulative_regret, squared_error FROM read_parquet(${sqlPath(join(out, 'checkpoints.parquet'))}) WHERE algorithm = '${algo}' ORDER BY seed, iteration`,
      );
      expect(rows.length).toBe(SEEDS * iters.length);
      expect(rows.map((r) => r.phi1)).toEqual(Array.from(phi.data as Float64Array));
      expect(rows.map((r) => r.cumulative_regret)).toEqual(Array.from(regret.data as Float64Array));
      expect(rows.slice(0, iters.length).map((r) => r.iteration)).toEqual(Array.from(iters));
      expect(new Set(rows.map((r) => r.seed))).toEqual(new Set([4, 5, 6]));
    });

    it(`curves holds ${algo}'s curves.npy, columns named`, async () => {
      const curves = npy(`${algo}.curves.npy`).data as Float64Array;
      for (const file of ['curves.parquet', 'curves.csv']) {
        const reader = file.endsWith('csv') ? 'read_csv_auto' : 'read_parquet';
        const rows = await duckdbRows(
          `SELECT iteration, mean_phi1, mse, mean_regret FROM ${reader}(${sqlPath(join(out, file))}) WHERE algorithm = '${algo}' ORDER BY iteration`,
        );
        expect(rows.length).toBe(curves.length / 4);
        expect(rows.flatMap((r) => [Number(r.iteration), r.mean_phi1, r.mse, r.mean_regret])).toEqual(
          Array.from(curves),
        );
      }
    });
  }

  it('summary.json lists the algorithms that ran and the fit window actually used', () => {
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.algorithmsRun).toEqual(['model-free', 'model-based']);
    // model-free positions are plotted at k+1 (k = 0 … N), model-based at n = 1 … N
    expect(s.algorithms['model-free'].fitWindow).toEqual([200, N + 1]);
    expect(s.algorithms['model-based'].fitWindow).toEqual([200, N]);
    expect(s.algorithms['model-based'].fitWindowRequested).toEqual([200, 100000]);
    expect(s.schemaVersion).toBeGreaterThan(0);
  });

  it('report.md states the clipped window, warns of the small run and cites the paper', () => {
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain(`model-based [200, ${N}] (requested [200, 100000], clipped to the run)`);
    expect(report).toContain('Warning: this run is smaller than the published one');
    expect(report).toContain('Yilie Huang, Yanwei Jia, Xun Yu Zhou (2024)');
    expect(report).toContain('| seeds at −2.2 |');
    expect(report).not.toMatch(/\[200, 100000\]\s*\|/);
  });
});
