/**
 * `quantrl execution train` writes runs and learning_curve tables (Parquet + CSV) whose rows, read back
 * by DuckDB, hold the per-seed figures of summary.json's table; summary.json records the resolved
 * configs (no prose) and report.md the command, machine and references.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { duckdbRows, sqlPath } from '../support/duckdb.js';

const out = mkdtempSync(join(tmpdir(), 'quantrl-exec-tables-'));
const SEEDS = 3;
const E = 1500;
beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  const code = await main([
    'execution',
    'train',
    '--env',
    '{"variant":"impact","q0":6,"horizon":4}',
    '--episodes',
    `${E}`,
    '--seeds',
    `${SEEDS}`,
    '--eval-episodes',
    '300',
    '--workers',
    '1',
    '--out',
    out,
  ]);
  vi.restoreAllMocks();
  expect(code).toBe(0);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

const summary = () => JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));

describe('execution tables', () => {
  for (const format of ['parquet', 'csv'])
    it(`runs.${format} matches summary.json's per-seed table`, async () => {
      const reader = format === 'csv' ? 'read_csv_auto' : 'read_parquet';
      const rows = await duckdbRows(
        `SELECT * FROM ${reader}(${sqlPath(join(out, `runs.${format}`))}) ORDER BY seed`,
      );
      const table = summary().table as Record<string, number | boolean>[];
      expect(rows.length).toBe(SEEDS);
      rows.forEach((r, i) => {
        const t = table[i] as Record<string, number | boolean>;
        expect(r.experiment).toBe('train');
        expect(Number(r.episodes)).toBe(E);
        expect(r.value).toBeCloseTo(t.value as number, 4);
        expect(r.value_gap).toBeCloseTo(t.gap as number, 4);
        expect(r.greedy_optimal).toBe(t.exact);
        expect(r.policy_agreement).toBeCloseTo(t.agreement as number, 4);
        expect(r.mean_step).toBeCloseTo(t.tbar as number, 4);
        expect(r.oos_cost_mean).toBeCloseTo(t.mc_cost_mean as number, 4);
        expect(Number(r.oos_episodes)).toBe(300);
        expect(JSON.parse(r.env as string)).toEqual(summary().settings.env);
      });
    });

  it('learning_curve ends, for every seed, at the run’s final exact value', async () => {
    const last = await duckdbRows(
      `SELECT c.seed, c.checkpoint, c.value, r.value AS final FROM read_parquet(${sqlPath(join(out, 'learning_curve.parquet'))}) c JOIN read_parquet(${sqlPath(join(out, 'runs.parquet'))}) r USING (seed) QUALIFY c.checkpoint = max(c.checkpoint) OVER (PARTITION BY c.seed) ORDER BY c.seed`,
    );
    expect(last.length).toBe(SEEDS);
    for (const r of last) {
      expect(Number(r.checkpoint)).toBe(E);
      expect(r.value).toBe(r.final);
    }
  });

  it('summary.json records structured configs and report.md the command, machine and references', () => {
    const s = summary();
    expect(s.arms).toEqual([
      {
        run: 0,
        episodes: E,
        seeds: SEEDS,
        env: s.settings.env,
        learner: expect.objectContaining({ episodes: E }),
      },
    ]);
    expect(s.settings.env).toMatchObject({ variant: 'impact', q0: 6, horizon: 4, eta: 1.5 });
    expect(s.files).toEqual(expect.arrayContaining(['runs.parquet', 'runs.csv', 'learning_curve.parquet']));
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('- command: `quantrl execution train');
    expect(report).toContain('- machine: ');
    expect(report).toContain('Watkins, Peter Dayan (1992)');
    expect(report).toContain('docs/optimal-execution.md');
  });
});
