/** Malformed sweep specs are refused before anything runs, each problem named by its path in the spec. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { STUDIES } from '../../src/studies.js';
import { MAX_RUNS, planSweep } from '../../src/sweep/spec.js';

const refusal = (spec: unknown): string => {
  try {
    planSweep(spec, STUDIES, 'test');
  } catch (err) {
    expect((err as Error).name).toBe('UsageError');
    return (err as Error).message;
  }
  throw new Error('spec was accepted');
};

describe('sweep spec validation', () => {
  it('names an unknown config path and suggests the closest one', () => {
    const msg = refusal({ study: 'lq', grid: { 'modelFree.lrScal': [0.1] } });
    expect(msg).toMatch(
      /^grid\[modelFree\.lrScal\]: unknown config path 'modelFree\.lrScal' \(did you mean 'modelFree\.lrScale'\?\)/,
    );
  });

  it('names an empty axis, a wrong type and an unknown spec key', () => {
    expect(refusal({ study: 'lq', grid: { 'model.A': [] } })).toMatch(/^grid\[model\.A\]: /);
    expect(refusal({ study: 'lq', seeds: { count: 'ten' } })).toMatch(/^seeds\.count: must be an integer/);
    expect(refusal({ study: 'lq', grdi: {} })).toMatch(/grdi/);
    expect(refusal({ study: 'lq', grid: { 'model.A': { linspace: { from: 0, to: 1 } } } })).toMatch(
      /^grid\[model\.A\]/,
    );
    expect(refusal({ study: 'lq', grid: { 'model.A': ['one'] } })).toMatch(
      /^grid\[model\.A\]: model\.A: must be a number/,
    );
  });

  it('names the base config field', () => {
    expect(refusal({ study: 'lq', base: { model: { Dd: 1 } } })).toMatch(/^base\.model: .*Dd/);
    expect(refusal({ study: 'lq', base: { iterations: 0 } })).toMatch(
      /^base\.iterations: must be a positive integer/,
    );
  });

  it('refuses a combination the closed forms cannot handle, naming the axis and value', () => {
    const msg = refusal({ study: 'lq', grid: { 'model.D': [1, 0] } });
    expect(msg).toMatch(/^grid\[model\.D\]: model\.D: must be nonzero.* at model\.D = 0 \(run 1\)/);
    expect(refusal({ study: 'lq', base: { model: { dt: 0.03 } } })).toMatch(
      /^base\.model\.dt: T\/dt = .* whole number/,
    );
  });

  it('refuses a grid of more runs than the stated maximum before expanding it', () => {
    const n = Math.ceil(Math.sqrt(MAX_RUNS)) + 1;
    const msg = refusal({
      study: 'lq',
      grid: {
        'model.A': { linspace: { from: 0, to: 1, num: n } },
        'model.B': { linspace: { from: 1, to: 2, num: n } },
      },
    });
    expect(msg).toMatch(new RegExp(`^grid: .* runs exceed the maximum of ${MAX_RUNS}`));
  });

  it('names an unknown study and a metric pattern that matches nothing', () => {
    expect(refusal({ study: 'lqq' })).toMatch(/^study: unknown study 'lqq'.*did you mean 'lq'/);
    expect(refusal({ study: 'lq', metrics: ['regret_final', 'sharpe'] })).toMatch(
      /^metrics\[1\]: 'sharpe' matches no metric/,
    );
  });
});

describe('sweep run with a malformed spec', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quantrl-sweep-err-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['json', '{"study":"lq","grid":{"model.Q":[-1]}}', /grid\[model\.Q\]: model\.Q: must be ≥ 0/],
    ['yaml', 'study: lq\ngrid:\n  modelFree.gama: [1, 2]\n', /grid\[modelFree\.gama\]: unknown config path/],
    ['json', '{"study": "lq", ', /is not valid JSON/],
  ])('exits 2 naming the path (%s) with nothing written', async (ext, text, pattern) => {
    const spec = join(dir, `bad.${ext}`);
    writeFileSync(spec, text);
    const out = join(dir, 'out');
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    const code = await main(['sweep', 'run', spec, '--out', out]);
    spy.mockRestore();
    expect(code).toBe(2);
    expect(errors.join('\n')).toMatch(pattern);
    expect(existsSync(out)).toBe(false);
  });
});
