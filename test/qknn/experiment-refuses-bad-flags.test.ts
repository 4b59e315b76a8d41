import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../commands/support.js';

// quantrl qknn experiment with a bad test name or flag: exit 2, one line naming the argument or the
// flag, and nothing written — neither --out nor a staging folder beside it.
const root = mkdtempSync(join(tmpdir(), 'quantrl-qknn-exp-flags-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const CASES: [string[], RegExp][] = [
  [['t9'], /^<test>: must be one of t3, t4, t5, t6, t7, t8, all/],
  [['t3', '--size', 'huge'], /^--size: /],
  [['t3', '--engine', 'gpu'], /^--engine: /],
  [['t3', '--workers', '0'], /^--workers: /],
];

describe('quantrl qknn experiment: bad arguments', () => {
  it.each(CASES)('%j → exit 2, %s', async (args, message) => {
    const parent = mkdtempSync(join(root, 'p-'));
    const run = await cli(['qknn', 'experiment', ...args, '--out', join(parent, 'out')]);
    expect(run.code).toBe(2);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]?.replace(/^quantrl: /, '')).toMatch(message);
    expect(readdirSync(parent)).toEqual([]);
  });
});
