// `quantrl execution evaluate --policy <module>`: the example TWAP policy is evaluated beside the DP
// optimum on common random numbers (the optimum's mean matches V* and no policy beats it on average);
// bad modules exit 2 naming the file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../commands/support.js';

const dir = mkdtempSync(join(tmpdir(), 'quantrl-exec-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('quantrl execution evaluate --policy', () => {
  it('reports the example TWAP beside the DP optimum', async () => {
    const out = join(dir, 'twap');
    const r = await cli([
      'execution',
      'evaluate',
      '--policy',
      'examples/policies/execution-twap.mjs',
      '--eval-episodes',
      '4000',
      '--out',
      out,
    ]);
    expect(r).toEqual({ code: 0, errors: [] });
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const [opt, , twap] = s.policies as { policy: string; mean: number; se: number }[];
    expect(twap?.policy).toBe('examples/policies/execution-twap.mjs');
    expect(Math.abs((opt?.mean as number) - s.optimalValue)).toBeLessThan(4 * (opt?.se as number) + 1e-9);
    // π* maximises the expected return: the paired difference is not significantly positive.
    expect(s.pairedVsOptimal.mean).toBeLessThan(3 * s.pairedVsOptimal.se + 1e-12);
  });

  it('a module returning an infeasible action exits 2 naming the file', async () => {
    const file = join(dir, 'greedy.mjs');
    writeFileSync(file, 'export const act = () => 99;\n');
    const r = await cli(['execution', 'evaluate', '--policy', file, '--out', join(dir, 'bad')]);
    expect(r.code).toBe(2);
    expect(r.errors.join('\n')).toMatch(
      `--policy: ${file}: act(observation, info) returned 99 (expected an integer action index in 0…10)`,
    );
  });

  it('--policy is refused outside evaluate', async () => {
    const r = await cli(['execution', 'e8', '--policy', 'x.mjs', '--out', join(dir, 'e8')]);
    expect(r.code).toBe(2);
    expect(r.errors.join('\n')).toMatch(/--policy: only `execution evaluate`/);
  });
});
