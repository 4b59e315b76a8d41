// The model-free study at full size (120 seeds × 200,000 updates, the default configuration) against
// the spec's §7 reference figures and tolerances for an implementation with its own random stream:
// mean φ₁ within 0.024 at 200k and 0.059 at 2k, sd ratio in [0.75, 1.33], ln MSE(200k) ± 0.64,
// regret slope 0.7268 ± 0.008, ln R(200k) = 10.392 ± 0.01, MSE slope −0.50 ± 0.29. About 40 s on 2 cores.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLqConfig } from '../../src/lq/config.js';
import { type AlgorithmResult, runAlgorithm } from '../../src/lq/study.js';
import { Runner } from '../../src/runner/pool.js';

const out = mkdtempSync(join(tmpdir(), 'quantrl-spec7-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** §7 reference (model-free, 120 seeds × 200k, reference stream): mean and sd of φ₁ at N updates. */
const REFERENCE = {
  2000: { mean: -1.7509, sd: 0.151, meanTol: 0.059 },
  200000: { mean: -1.9508, sd: 0.062, meanTol: 0.024 },
} as const;

describe('model-free study at full size (spec §7)', () => {
  let result: AlgorithmResult;
  const row = (k: number) => {
    const r = result.checkpoints.find((c) => c.iteration === k);
    if (!r) throw new Error(`no checkpoint at ${k}`);
    return r;
  };

  it('runs 120 seeds × 200,000 updates', async () => {
    const cfg = parseLqConfig({ out, paths: 'none' });
    expect([cfg.seeds, cfg.iterations]).toEqual([120, 200_000]);
    const runner = await Runner.open({ workers: 2 });
    try {
      result = await runAlgorithm({ ...cfg, algo: 'model-free', prefix: '' }, runner);
    } finally {
      await runner.close();
    }
  }, 600_000);

  it.each([2000, 200_000] as const)('mean and sd of φ₁ at %d updates', (k) => {
    const { mean, sd, meanTol } = REFERENCE[k];
    expect(Math.abs(row(k).meanPhi1 - mean)).toBeLessThanOrEqual(meanTol);
    expect(row(k).sdPhi1 / sd).toBeGreaterThanOrEqual(0.75);
    expect(row(k).sdPhi1 / sd).toBeLessThanOrEqual(1.33);
  });

  it('ln MSE at 200k: −5.08 ± 0.64', () => {
    expect(Math.abs(row(200_000).lnMse - -5.08)).toBeLessThanOrEqual(0.64);
  });

  it('ln R(200k): 10.392 ± 0.01', () => {
    expect(Math.abs(Math.log(row(200_000).meanRegret) - 10.392)).toBeLessThanOrEqual(0.01);
  });

  it('regret slope on [5000, 200000]: 0.7268 ± 0.008', () => {
    expect(Math.abs((result.slopes.lnRegret?.slope as number) - 0.7268)).toBeLessThanOrEqual(0.008);
  });

  it('MSE slope on [5000, 200000]: −0.50 ± 0.29', () => {
    expect(Math.abs((result.slopes.lnMse?.slope as number) - -0.5)).toBeLessThanOrEqual(0.29);
  });
});
