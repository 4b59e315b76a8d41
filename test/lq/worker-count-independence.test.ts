import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLqConfig } from '../../src/lq/config.js';
import { runAlgorithm } from '../../src/lq/study.js';
import { Runner } from '../../src/runner/pool.js';

// The assembled output depends only on (experiment, run, seed): 1 and 2 workers write byte-identical
// data files (results are consumed in seed order, never completion order). The model-based plug-in
// is used: its estimator state makes any cross-seed leak or reordering visible.
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function study(workers: number) {
  const out = mkdtempSync(join(tmpdir(), 'quantrl-wc-'));
  dirs.push(out);
  const cfg = parseLqConfig({ seeds: 6, iterations: 1500, out, paths: 'full', fitWindow: '100:1500' });
  const runner = await Runner.open({ workers });
  try {
    const result = await runAlgorithm({ ...cfg, algo: 'model-based', prefix: '' }, runner);
    return { out, result };
  } finally {
    await runner.close();
  }
}

describe('worker-count independence', () => {
  it('writes identical files and summaries with 1 and 2 workers', async () => {
    const one = await study(1);
    const two = await study(2);
    for (const f of ['phi1.npy', 'regret.npy', 'iterations.npy', 'curves.npy']) {
      expect(readFileSync(join(two.out, f)).equals(readFileSync(join(one.out, f))), f).toBe(true);
    }
    expect(two.result).toEqual(one.result);
  });
});
