// quantrl qknn: bad input → UsageError naming the flag or the file (the CLI exits 2), nothing written.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerQknn } from '../../src/commands/qknn.js';
import { UsageError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'quantrl-qknn-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function program(): Command {
  const p = new Command('quantrl').exitOverride();
  registerQknn(p);
  return p;
}

async function fails(args: string[], out?: string): Promise<string> {
  let message = '';
  try {
    await program().parseAsync(['qknn', ...args], { from: 'user' });
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    message = (err as Error).message;
  }
  if (out) expect(existsSync(out)).toBe(false);
  return message;
}

describe('quantrl qknn train: bad input', () => {
  it.each([
    [['--regime', 'hawkes'], /^--regime: /],
    [['--actions', 'A3lim'], /^--actions: /],
    [['--l2', 'two_ticks'], /^--l2: /],
    [['--explore', 'greedy'], /^--explore: /],
    [['--D', '0'], /^--D: /],
    [['--D', 'many'], /^--D: must be a number/],
    [['--L', '0'], /^--L: /],
    [['--L', '65'], /^--L: /],
    [['--k', '0'], /^--k: /],
    [['--estimator', 'triple'], /^--estimator: /],
    [['--engine', 'gpu'], /^--engine: /],
    [['--workers', '0'], /^--workers: /],
    [['--workers', 'all'], /^--workers: /],
    [['--D', '100000000'], /^--D: the grids need up to/],
  ])('%j → %s', async (args, message) => {
    const out = join(dir, `p-${Math.random().toString(36).slice(2)}.json`);
    expect(await fails(['train', ...args, '--out', out], out)).toMatch(message);
  });
});

describe('quantrl qknn evaluate: foreign and truncated policy files', () => {
  it('refuses a file that is not a policy, a truncated one, another code version, a bad baseline', async () => {
    const policy = join(dir, 'p.json');
    await program().parseAsync(['qknn', 'train', '--D', '20', '--T', '0.1', '--N', '4', '--out', policy], {
      from: 'user',
    });
    const text = readFileSync(policy, 'utf8');
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, JSON.stringify({ format: 'something-else' }));
    expect(await fails(['evaluate', foreign])).toMatch(/foreign\.json: not a quantrl-qknn-policy\/1 file/);
    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
    expect(await fails(['evaluate', truncated])).toMatch(/truncated\.json: not a readable policy file/);
    const older = join(dir, 'older.json');
    writeFileSync(older, text.replace(/"codeVersion":"[^"]*"/, '"codeVersion":"0.0.0-old"'));
    expect(await fails(['evaluate', older])).toMatch(/older\.json: written by quantrl 0\.0\.0-old/);
    const shortStep = join(dir, 'short.json');
    const doc = JSON.parse(text);
    doc.steps[0].U = Buffer.from(new Float64Array(doc.steps[0].count + 1).buffer).toString('base64');
    writeFileSync(shortStep, JSON.stringify(doc));
    expect(await fails(['evaluate', shortStep])).toMatch(/short\.json: steps\.0\.U has/);
    expect(await fails(['evaluate', policy, '--look-ahead', '--engine', 'gpu'])).toMatch(/^--engine: /);
    expect(await fails(['evaluate', policy, '--against', '11,zz'])).toMatch(
      /^--against: unknown policy 'zz'/,
    );
  });
});

describe('quantrl qknn experiment: bad custom sizes', () => {
  it.each([
    [['all', '--D', '1000'], /^--D\/--E: only with a single test/],
    [['t4', '--E', '100'], /^--E: needs --D/],
    [['t4', '--D', '1000'], /^--D: t4 takes 2–8 grid sizes \(got 1\)/],
    [['t3', '--D', '100,600,6000'], /^--D: t3 takes 2 grid sizes \(got 3\)/],
    [['t6', '--D', '100,600'], /^--D: t6 takes 1 grid size \(got 2\)/],
    [['t4', '--D', '1000,x'], /^--D: 'x' must be a positive integer/],
    [['t4', '--D', '1000,100'], /^--D: sizes must increase/],
    [['t4', '--D', '100,1000', '--E', '0'], /^--E: must be a positive integer/],
  ])('%j → %s', async (args, message) => {
    const out = join(dir, `x-${Math.random().toString(36).slice(2)}`);
    expect(await fails(['experiment', ...args, '--out', out], out)).toMatch(message);
  });
});
