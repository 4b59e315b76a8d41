// `quantrl lob compare` through the worker pool: writes summary.json and the histogram (PNG + SVG),
// and the per-policy statistics are identical for 1 and 2 workers (streams keyed by episode index,
// results consumed in index order) and equal to the in-process evaluation.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerLob } from '../../src/commands/lob.js';
import { evaluatePolicies } from '../../src/lob/harness.js';
import { resolveModel } from '../../src/lob/model.js';
import { builtinPolicy } from '../../src/lob/policies.js';

const dir = mkdtempSync(join(tmpdir(), 'quantrl-lob-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function compare(workers: number): Promise<{ policies: unknown[] }> {
  const out = join(dir, `w${workers}`);
  const program = new Command('quantrl').exitOverride();
  registerLob(program);
  const args = ['lob', 'compare', '--regime', 'hlr-dev', '--policies', '11,sticky', '--episodes', '6000'];
  await program.parseAsync([...args, '--workers', String(workers), '--out', out], { from: 'user' });
  for (const f of ['summary.json', 'lob-pnl-histogram.svg', 'lob-pnl-histogram.png']) {
    expect(existsSync(join(out, f))).toBe(true);
  }
  return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
}

describe('quantrl lob compare', () => {
  it('gives identical statistics for 1 and 2 workers and in-process', async () => {
    const one = await compare(1);
    const two = await compare(2);
    expect(two.policies).toEqual(one.policies);
    const plan = {
      model: resolveModel('hlr-dev'),
      episodes: 6000,
      experiment: 'lob/evaluate',
      run: 0,
      engine: 'wasm' as const,
    };
    const local = await evaluatePolicies(undefined, plan, [builtinPolicy('11'), builtinPolicy('sticky')]);
    expect(JSON.parse(JSON.stringify(local.summaries))).toEqual(one.policies);
  });
});
