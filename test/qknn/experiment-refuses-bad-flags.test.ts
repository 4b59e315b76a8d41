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
  [['t9'], /^<test>: must be one of t3, t4, t5, t6, t7, t8, a list of them, or all \(got 't9'\)/],
  [['t3,t9'], /^<test>: .* \(got 't3,t9'\)/],
  [['t3,'], /^<test>: .* \(got 't3,'\)/],
  [['t3,t6', '--D', '1000,2000'], /^--D\/--E: only with a single test/],
  [['t3', '--size', 'huge'], /^--size: /],
  [['t3', '--engine', 'gpu'], /^--engine: /],
  [['t3', '--workers', '0'], /^--workers: /],
  // custom sizes (--D/--E) for a single test
  [['all', '--D', '1000'], /^--D\/--E: only with a single test/],
  [['t4', '--E', '100'], /^--E: needs --D/],
  [['t4', '--D', '1000'], /^--D: t4 takes 2–8 grid sizes \(got 1\)/],
  [['t3', '--D', '100,600,6000'], /^--D: t3 takes 2 grid sizes \(got 3\)/],
  [['t6', '--D', '100,600'], /^--D: t6 takes 1 grid size \(got 2\)/],
  [['t4', '--D', '1000,x'], /^--D: 'x' must be a positive integer/],
  [['t4', '--D', '1000,100'], /^--D: sizes must increase/],
  [['t4', '--D', '100,1000', '--E', '0'], /^--E: must be a positive integer/],
  [
    ['t3', '--configs', 'recommended,authors'],
    /^--configs: must list recommended and\/or paper-faithful \(got 'authors'\)/,
  ],
  // a file where the folder of kept trainings should be
  [['t3', '--keep-trainings', 'package.json'], /^--keep-trainings: cannot use 'package.json' as a folder/],
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
