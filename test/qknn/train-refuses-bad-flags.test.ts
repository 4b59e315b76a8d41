import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../commands/support.js';

// quantrl qknn train with a bad value (issue 12 "Bad input": unknown regime, action class or
// exploration, D < 1, L outside 1..64, k < 1, a grid that cannot fit the machine): exit 2, one line
// naming the flag, and nothing written — neither --out nor a staging folder beside it.
const root = mkdtempSync(join(tmpdir(), 'quantrl-qknn-flags-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const CASES: [string[], RegExp][] = [
  [['--regime', 'hawkes'], /^--regime: /],
  [['--actions', 'A3lim'], /^--actions: /],
  [['--l2', 'two_ticks'], /^--l2: /],
  [['--explore', 'greedy'], /^--explore: /],
  [['--D', '0'], /^--D: /],
  [['--D', '-3'], /^--D: /],
  [['--D', '2.5'], /^--D: /],
  [['--L', '0'], /^--L: /],
  [['--L', '65'], /^--L: /],
  [['--k', '0'], /^--k: /],
  [['--k', '1.5'], /^--k: /],
  [['--N', '0'], /^--N: /],
  [['--T', '-1'], /^--T: /],
  [['--truncation', 'none'], /^--truncation: /],
  [['--estimator', 'triple'], /^--estimator: /],
  [['--p-ref', 'last'], /^--p-ref: /],
  [['--phi', 'v'], /^--phi: /],
  [['--index', 'lsh'], /^--index: /],
  [['--engine', 'gpu'], /^--engine: /],
  [['--workers', '0'], /^--workers: /],
  [['--workers', 'all'], /^--workers: /],
  [['--episodes', '-1'], /^--episodes: /],
  // the memory plan (src/qknn/memory.ts) through the session's check: a bucket larger than the
  // kernel's largest block, and a run far beyond any machine's memory (≈ 70 TB of grids)
  [['--D', '100000000'], /^--D: one kernel buffer would need/],
  [['--D', '10000000', '--N', '100000'], /^--D: the run needs about .* more than this machine's/],
];

describe('quantrl qknn train: bad flags', () => {
  it.each(CASES)('%j → exit 2, %s', async (args, message) => {
    const parent = mkdtempSync(join(root, 'p-'));
    const out = join(parent, 'out');
    const run = await cli(['qknn', 'train', '--D', '10', '--N', '3', ...args, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]?.replace(/^quantrl: /, '')).toMatch(message);
    expect(readdirSync(parent)).toEqual([]);
  });
});
