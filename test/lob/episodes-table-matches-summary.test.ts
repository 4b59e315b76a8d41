/**
 * `quantrl lob compare` writes one row per episode × policy (Parquet + CSV); DuckDB's aggregates of
 * that table equal the per-policy statistics of summary.json, and report.md carries the references.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { duckdbRows, sqlPath } from '../support/duckdb.js';

const out = mkdtempSync(join(tmpdir(), 'quantrl-lob-table-'));
const EPISODES = 600;
beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  const argv = [
    'lob',
    'compare',
    '--regime',
    'const',
    '--episodes',
    `${EPISODES}`,
    '--policies',
    '11,00,skew',
  ];
  const code = await main([...argv, '--workers', '1', '--out', out]);
  vi.restoreAllMocks();
  expect(code).toBe(0);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface PolicySummary {
  policy: string;
  mean: number;
  fillsAsk: number;
  fillsBid: number;
  meanAbsInventory: number;
  eventsMean: number;
  boundaryRate: number;
  histogram: { pnl: number; count: number }[];
}

describe('lob episodes table', () => {
  for (const format of ['parquet', 'csv'])
    it(`episodes.${format} aggregates to summary.json's statistics`, async () => {
      const reader = format === 'csv' ? 'read_csv_auto' : 'read_parquet';
      const file = sqlPath(join(out, `episodes.${format}`));
      const agg = await duckdbRows(
        `SELECT policy, count(*) AS n, avg(pnl) AS mean, avg(fills_ask) AS fa, avg(fills_bid) AS fb, avg(abs_inventory_final) AS absy, avg(events) AS ev, avg(boundary_hits) AS hits FROM ${reader}(${file}) GROUP BY policy`,
      );
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      const byPolicy = new Map(agg.map((r) => [String(r.policy), r]));
      expect([...byPolicy.keys()].sort()).toEqual(['00', '11', 'skew']);
      for (const s of summary.policies as PolicySummary[]) {
        const r = byPolicy.get(s.policy) as Record<string, number>;
        expect(Number(r.n)).toBe(EPISODES);
        // sums of small integers are exact, so the means agree to rounding of the division
        expect(r.mean).toBeCloseTo(s.mean, 12);
        expect(r.fa).toBeCloseTo(s.fillsAsk, 12);
        expect(r.fb).toBeCloseTo(s.fillsBid, 12);
        expect(r.absy).toBeCloseTo(s.meanAbsInventory, 12);
        expect(r.ev).toBeCloseTo(s.eventsMean, 12);
        expect(r.hits).toBeCloseTo(s.boundaryRate, 12);
      }
      const hist = await duckdbRows(
        `SELECT pnl, count(*) AS count FROM ${reader}(${file}) WHERE policy = '11' GROUP BY pnl ORDER BY pnl`,
      );
      const h11 = (summary.policies as PolicySummary[]).find((p) => p.policy === '11')?.histogram;
      expect(hist.map((r) => ({ pnl: r.pnl, count: Number(r.count) }))).toEqual(h11);
    });

  it('report.md cites the paper, explains the policies and names the command', () => {
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('Frédéric Abergel, Côme Huré, Huyên Pham (2020)');
    expect(report).toContain('`00`: never quote');
    expect(report).toContain(`- command: \`quantrl lob compare --regime const --episodes ${EPISODES}`);
    expect(report).toContain('| policy 11: mean P&L |');
  });
});
