// Bad input → UsageError naming the flag (the CLI exits 2), before anything is written.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerLob } from '../../src/commands/lob.js';
import { UsageError } from '../../src/errors.js';
import { HLR_TABLES } from '../../src/lob/model.js';

const dir = mkdtempSync(join(tmpdir(), 'quantrl-lob-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function fails(args: string[]): Promise<string> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const program = new Command('quantrl').exitOverride();
  registerLob(program);
  let message = '';
  try {
    await program.parseAsync(['lob', ...args, '--out', out], { from: 'user' });
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    message = (err as Error).message;
  }
  expect(existsSync(out)).toBe(false);
  return message;
}

describe('quantrl lob: bad input', () => {
  it.each([
    [['simulate', '--regime', 'hawkes'], /^--regime: /],
    [['simulate', '--regime', 'const', '--policy', '22'], /^--policy: unknown policy '22'/],
    [['compare', '--regime', 'const', '--policies', '11,zz'], /^--policies: unknown policy 'zz'/],
    [['simulate', '--regime', 'const', '--T', '0'], /^--T: /],
    [['simulate', '--regime', 'const', '--T', '-1'], /^--T: /],
    [['simulate', '--regime', 'const', '--K', '0'], /^--K: /],
    [['simulate', '--regime', 'const', '--a-inf', '0'], /^--a-inf: /],
    [['simulate', '--regime', 'const', '--trend', '1.5'], /^--trend: /],
    [['simulate', '--regime', 'const', '--trend', 'up'], /^--trend: must be a finite decimal number/],
    [['simulate', '--regime', 'const', '--episodes', '0'], /^--episodes: must be a positive integer/],
    [['simulate', '--regime', 'const', '--engine', 'gpu'], /^--engine: /],
  ])('%j → %s', async (args, message) => {
    expect(await fails(args)).toMatch(message);
  });

  it('an intensity table with a negative value names its cell', async () => {
    const L = HLR_TABLES.L.map((row) => row.slice());
    (L[0] as number[])[2] = -0.57;
    const file = join(dir, 'negative.json');
    writeFileSync(file, JSON.stringify({ family: 'hlr', L }));
    expect(await fails(['simulate', '--regime', 'hlr-dev', '--intensities', file])).toMatch(
      /^--intensities: intensities\.L\.0\.2: /,
    );
  });
});
