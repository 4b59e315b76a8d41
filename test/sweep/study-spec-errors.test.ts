/**
 * A malformed execution or order-book sweep spec (an unknown config path, a field of another variant,
 * an infeasible combination) makes `quantrl sweep run` exit 2 naming the path, with nothing written.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'quantrl-sweep-study-err-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sweep run with a malformed execution or order-book spec', () => {
  it.each([
    [
      'unknown execution path',
      { study: 'execution', grid: { 'learner.alpah.omega': [0.6, 0.8] } },
      /^quantrl: grid\[learner\.alpah\.omega\]: unknown config path 'learner\.alpah\.omega' \(did you mean 'learner\.alpha'\?\)/m,
    ],
    [
      "a field of another env variant than the base's",
      { study: 'execution', base: { env: { variant: 'deterministic' } }, grid: { 'env.eta': [1, 2] } },
      /^quantrl: grid\[env\.eta\]: unknown config path 'env\.eta'/m,
    ],
    [
      'an unknown key in the base env',
      { study: 'execution', base: { env: { variant: 'impact', qzero: 5 } } },
      /^quantrl: base\.env: unknown key 'qzero'/m,
    ],
    [
      'an action grid that cannot liquidate',
      { study: 'execution', grid: { 'env.actions': [[0, 1]] } },
      /^quantrl: grid\[env\.actions\]: env\.actions: the grid \{0, 1\} cannot liquidate q0 = 20 in 10 steps at env\.actions = \[0,1\] \(run 0\)/m,
    ],
    [
      'unknown order-book path',
      { study: 'lob', grid: { polcy: ['11', 'skew'] } },
      /^quantrl: grid\.polcy: unknown config path 'polcy' \(did you mean 'policy'\?\)/m,
    ],
    [
      'an order-book model field the regime refuses',
      { study: 'lob', grid: { regime: ['const', 'ahp'], K: [3] } },
      /^quantrl: grid\.K: K: the R-ahp tables are defined for K = 2 at K = 3 \(run 1\)/m,
    ],
  ])('%s: exit 2 naming the path, nothing written', async (_what, spec, pattern) => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(spec));
    const out = join(dir, 'out');
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    const code = await main(['sweep', 'run', file, '--out', out]);
    spy.mockRestore();
    expect(code).toBe(2);
    expect(errors.join('\n')).toMatch(pattern);
    expect(existsSync(out)).toBe(false);
  });
});
