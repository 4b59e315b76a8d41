import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { readNpy } from '../../src/store/npy.js';

// A reduced `quantrl regret-study` end to end: both algorithms' data files, plots that decode as PNG at
// twice the SVG's size, a summary with finite figures for both algorithms, and report.md.
const out = mkdtempSync(join(tmpdir(), 'quantrl-regret-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('quantrl regret-study output', () => {
  it('writes data, plots, summary and report for both algorithms', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const code = await main([
      'regret-study',
      '--seeds',
      '6',
      '--iterations',
      '2500',
      '--workers',
      '2',
      '--out',
      out,
      '--fit-window',
      '200:2500',
    ]);
    vi.restoreAllMocks();
    expect(code).toBe(0);
    for (const algo of ['model-free', 'model-based']) {
      const phi1 = readNpy(readFileSync(join(out, `${algo}.phi1.npy`)));
      expect(phi1.shape[0]).toBe(6);
      const curves = readNpy(readFileSync(join(out, `${algo}.curves.npy`)));
      expect(curves.shape).toEqual([algo === 'model-free' ? 2501 : 2500, 4]);
    }
    for (const plot of ['mse', 'regret']) {
      const svg = readFileSync(join(out, `${plot}.svg`), 'utf8');
      const w = Number(/width="(\d+(\.\d+)?)"/.exec(svg)?.[1]);
      const h = Number(/height="(\d+(\.\d+)?)"/.exec(svg)?.[1]);
      const [pw, ph] = pngSize(readFileSync(join(out, `${plot}.png`)));
      expect(pw).toBe(Math.round(2 * w));
      expect(ph).toBe(Math.round(2 * h));
    }
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    for (const algo of ['model-free', 'model-based']) {
      const a = summary.algorithms[algo];
      for (const fit of [a.slopes.lnMse, a.slopes.lnRegret]) {
        expect(Number.isFinite(fit.slope)).toBe(true);
        expect(fit.ci95[0]).toBeLessThan(fit.ci95[1]);
      }
      expect(a.checkpoints.at(-1).iteration).toBe(2500);
    }
    expect(Number.isFinite(summary.wallSeconds)).toBe(true);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('| model-free ln regret slope |');
    expect(report).toContain('| model-based ln regret slope |');
    expect(report).toContain('quantrl regret-study --seeds 6');
  });
});
