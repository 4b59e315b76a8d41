import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { earlierResult, snapshot, spawnCli } from './support.js';

// The process itself (not just main()) exits 130 on SIGINT and 143 on SIGTERM, printing one line on
// stderr and nothing else; the signal comes from the session's test hook at a named phase.
const root = mkdtempSync(join(tmpdir(), 'quantrl-exit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('exit status of an interrupted process', () => {
  it.each([
    ['SIGINT', 'write', 130],
    ['SIGTERM', 'compute', 143],
  ])('%s during %s → %i', async (signal, phase, code) => {
    const parent = mkdtempSync(join(root, 'p-'));
    const out = join(parent, 'out');
    const before = earlierResult(out);
    const args = [
      'lob',
      'simulate',
      '--regime',
      'const',
      '--episodes',
      '5000',
      '--workers',
      '2',
      '--out',
      out,
    ];
    const run = await spawnCli(args, { QUANTRL_TEST_SIGNAL: `${phase}:${signal}` });
    expect(run.code).toBe(code);
    expect(run.stderr).toBe(`quantrl: interrupted by ${signal}; ${out} was left as it was\n`);
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['out']);
  });
});
