import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, earlierResult, SMALL_RUNS, snapshot, withSignalHook } from './support.js';

// SIGINT/SIGTERM once the results are computed and the command writes its files (plots, tables,
// report, summary; sent by the session's test hook as the write phase begins): exit 130/143 with one
// line, the earlier result in --out untouched, no staging folder left beside it.
const root = mkdtempSync(join(tmpdir(), 'quantrl-int-write-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const CASES: [string, 'SIGINT' | 'SIGTERM'][] = [
  ['lq', 'SIGINT'],
  ['lq', 'SIGTERM'],
  ['regret-study', 'SIGINT'],
  ['regret-study', 'SIGTERM'],
  ['execution train', 'SIGINT'],
  ['execution train', 'SIGTERM'],
  ['execution all', 'SIGTERM'],
  ['execution e8', 'SIGINT'],
  ['lob simulate', 'SIGINT'],
  ['lob compare', 'SIGINT'],
  ['lob compare', 'SIGTERM'],
  ['qknn train', 'SIGINT'],
  ['qknn train', 'SIGTERM'],
];

describe('a signal during the write phase', () => {
  it.each(CASES)('%s, %s', async (command, signal) => {
    const parent = mkdtempSync(join(root, 'p-'));
    const out = join(parent, 'out');
    const before = earlierResult(out);
    const run = await withSignalHook(`write:${signal}`, () =>
      cli([...(SMALL_RUNS[command] as string[]), '--out', out]),
    );
    expect(run.code).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(run.errors).toEqual([`quantrl: interrupted by ${signal}; ${out} was left as it was`]);
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['out']);
  });
});
