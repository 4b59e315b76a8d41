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
    // the memory plan (src/qknn/memory.ts) through the session's check: a bucket larger than the
    // kernel's largest block, and a run far beyond any machine's memory (≈ 70 TB of grids)
    [['--D', '100000000'], /^--D: one kernel buffer would need/],
    [['--D', '10000000', '--N', '100000'], /^--D: the run needs about .* more than this machine's/],
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
    expect(await fails(['evaluate', foreign])).toMatch(/foreign\.json: not a quantrl-qknn-policy\/2 file/);
    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
    expect(await fails(['evaluate', truncated])).toMatch(/truncated\.json: not a readable policy file/);
    const older = join(dir, 'older.json');
    writeFileSync(older, text.replace(/"codeVersion":"[^"]*"/, '"codeVersion":"0.0.0-old"'));
    expect(await fails(['evaluate', older])).toMatch(/older\.json: written by quantrl 0\.0\.0-old/);
    const shortStep = join(dir, 'short.json');
    const lines = text.split('\n');
    const step0 = JSON.parse(lines[1] as string);
    step0.U = Buffer.from(new Float64Array(step0.count + 1).buffer).toString('base64');
    lines[1] = JSON.stringify(step0);
    writeFileSync(shortStep, lines.join('\n'));
    expect(await fails(['evaluate', shortStep])).toMatch(/short\.json: steps\.0\.U has/);
    expect(await fails(['evaluate', policy, '--look-ahead', '--engine', 'gpu'])).toMatch(/^--engine: /);
    expect(await fails(['evaluate', policy, '--against', '11,zz'])).toMatch(
      /^--against: unknown policy 'zz'/,
    );
  });
});
