/** The sweep's tidy tables load in DuckDB (a reader from another ecosystem), Parquet and CSV alike. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeVersion } from '../../src/machine.js';
import { STUDIES } from '../../src/studies.js';
import { collectStore } from '../../src/sweep/collect.js';
import { runLocal } from '../../src/sweep/local.js';
import { parseShard, planSweep } from '../../src/sweep/spec.js';
import { duckdbRows, sqlPath } from '../support/duckdb.js';

const root = mkdtempSync(join(tmpdir(), 'quantrl-sweep-duckdb-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('sweep tables in DuckDB', () => {
  it('reads runs and points as Parquet and CSV with the same values', async () => {
    const spec = {
      study: 'lq',
      base: { iterations: 300, fitWindow: { from: 10, to: 300 } },
      grid: { 'modelFree.explorePower': [0.25, 0.5], engine: ['wasm'] },
      seeds: { count: 3 },
    };
    const out = join(root, 'store');
    await runLocal(planSweep(spec, STUDIES, codeVersion()), {
      out,
      workers: 1,
      shard: parseShard('0/1'),
      code: codeVersion(),
    });
    await collectStore(out, STUDIES, { plots: false });
    const runs = await duckdbRows(
      `SELECT run, seed, p_model_free_explore_power AS q, p_engine AS engine, regret_final FROM read_parquet(${sqlPath(join(out, 'runs.parquet'))}) ORDER BY run, seed`,
    );
    expect(runs.map((r) => [r.run, r.seed, r.q, r.engine])).toEqual([
      [0, 1, 0.25, 'wasm'],
      [0, 2, 0.25, 'wasm'],
      [0, 3, 0.25, 'wasm'],
      [1, 1, 0.5, 'wasm'],
      [1, 2, 0.5, 'wasm'],
      [1, 3, 0.5, 'wasm'],
    ]);
    const csv = await duckdbRows(
      `SELECT regret_final FROM read_csv(${sqlPath(join(out, 'runs.csv'))}) ORDER BY run, seed`,
    );
    expect(csv.map((r) => r.regret_final)).toEqual(runs.map((r) => r.regret_final));
    // points: the mean over seeds equals DuckDB's own average of the runs table
    const points = await duckdbRows(
      `SELECT p.run, p.regret_final_mean AS m, p.regret_final_n AS n, avg(r.regret_final) AS duck
       FROM read_parquet(${sqlPath(join(out, 'points.parquet'))}) p
       JOIN read_parquet(${sqlPath(join(out, 'runs.parquet'))}) r USING (run)
       GROUP BY p.run, p.regret_final_mean, p.regret_final_n ORDER BY p.run`,
    );
    expect(points).toHaveLength(2);
    for (const p of points) {
      expect(p.n).toBe(3);
      expect(Math.abs((p.m as number) - (p.duck as number))).toBeLessThan(1e-9 * Math.abs(p.m as number));
    }
  }, 60_000);
});
