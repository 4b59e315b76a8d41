import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { readNpy } from '../../src/store/npy.js';

// End to end through the CLI at reduced size: every promised file exists, decodes, has the right
// shape, and every summary number is finite.
const out = mkdtempSync(join(tmpdir(), 'quantrl-e2e-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('quantrl lq output', () => {
  it('writes npy paths, curves and a finite summary.json', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const code = await main([
      'lq',
      '--seeds',
      '5',
      '--iterations',
      '3000',
      '--workers',
      '2',
      '--out',
      out,
      '--fit-window',
      '500:3000',
    ]);
    vi.restoreAllMocks();
    expect(code).toBe(0);
    const phi1 = readNpy(readFileSync(join(out, 'phi1.npy')));
    const iters = readNpy(readFileSync(join(out, 'iterations.npy')));
    const curves = readNpy(readFileSync(join(out, 'curves.npy')));
    expect(phi1.dtype).toBe('<f8');
    expect(phi1.shape).toEqual([5, iters.data.length]);
    expect(iters.dtype).toBe('<i4');
    expect(curves.shape).toEqual([3001, 4]);
    for (const v of phi1.data as Float64Array) {
      expect(v).toBeGreaterThanOrEqual(-2.2);
      expect(v).toBeLessThanOrEqual(-0.5);
    }
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const mf = summary.algorithms['model-free'];
    expect(mf.checkpoints.map((c: { iteration: number }) => c.iteration)).toEqual([
      10, 100, 500, 1000, 2000, 3000,
    ]);
    for (const c of mf.checkpoints) {
      for (const v of Object.values(c)) if (v !== null) expect(Number.isFinite(v)).toBe(true);
    }
    for (const fit of [mf.slopes.lnMse, mf.slopes.lnRegret]) {
      expect(Number.isFinite(fit.slope)).toBe(true);
      expect(fit.ci95[0]).toBeLessThan(fit.ci95[1]);
    }
    expect(summary.wallSeconds).toBeGreaterThan(0);
    expect(summary.machine.cores).toBeGreaterThan(0);
    expect(summary.files).toEqual([
      'checkpoints.csv',
      'checkpoints.parquet',
      'curves.csv',
      'curves.npy',
      'curves.parquet',
      'iterations.npy',
      'mse.png',
      'mse.svg',
      'phi1.npy',
      'regret.npy',
      'regret.png',
      'regret.svg',
      'report.md',
      'summary.json',
    ]);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('arXiv:2407.17226');
  });
});
