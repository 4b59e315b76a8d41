import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExecutionOptions } from '../../src/commands/execution.js';
import { parseLqConfig } from '../../src/lq/config.js';
import { cli } from '../commands/support.js';

// One number grammar for every numeric flag: plain decimals (with an optional exponent) only. Empty
// strings, hex, Infinity/NaN and overflow are refused with exit 2 naming the flag (`--first-seed ''`
// and `--run ''` used to read as 0, hex was accepted by lq and lob); `1e3` is accepted everywhere.
const root = mkdtempSync(join(tmpdir(), 'quantrl-numbers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FLAGS: [string, string[], string][] = [
  ['lq', ['lq'], '--seeds'],
  ['lq', ['lq'], '--first-seed'],
  ['lq', ['lq'], '--iterations'],
  ['lq', ['lq'], '--workers'],
  ['regret-study', ['regret-study'], '--iterations'],
  ['execution', ['execution', 'e1'], '--seeds'],
  ['execution', ['execution', 'e1'], '--episodes'],
  ['execution', ['execution', 'e1'], '--eval-episodes'],
  ['execution', ['execution', 'e1'], '--workers'],
  ['lob', ['lob', 'simulate', '--regime', 'const'], '--episodes'],
  ['lob', ['lob', 'simulate', '--regime', 'const'], '--run'],
  ['lob', ['lob', 'simulate', '--regime', 'const'], '--workers'],
  ['lob', ['lob', 'simulate', '--regime', 'const'], '--sticky-rho'],
  ['lob', ['lob', 'simulate', '--regime', 'const'], '--T'],
  ['lob', ['lob', 'simulate', '--regime', 'const'], '--trend'],
  ['lob', ['lob', 'simulate', '--regime', 'const'], '--max-events'],
  ['qknn', ['qknn', 'train'], '--D'],
  ['qknn', ['qknn', 'train'], '--L'],
  ['qknn', ['qknn', 'train'], '--k'],
  ['qknn', ['qknn', 'train'], '--T'],
  ['qknn', ['qknn', 'train'], '--episodes'],
  ['qknn', ['qknn', 'train'], '--workers'],
];
const BAD = ['', ' ', '0x10', '0b11', 'Infinity', '-Infinity', 'NaN', '1e999', '12abc', '1,5'];

describe('numbers the grammar refuses', () => {
  // `1,5` is a valid --episodes list (1 and 5)
  const cases = FLAGS.flatMap(([cmd, args, flag]) =>
    BAD.filter((v) => !(flag === '--episodes' && v === '1,5')).map((v) => [
      cmd,
      flag,
      JSON.stringify(v),
      args,
      v,
    ]),
  );
  it.each(cases)('%s %s %s', async (_, flag, __, args, value) => {
    const out = join(root, `out-${Math.random().toString(36).slice(2)}`);
    const run = await cli([...(args as string[]), flag as string, value as string, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.errors.join('\n')).toMatch(new RegExp(`^quantrl: ${flag}: `));
    expect(existsSync(out)).toBe(false);
  });
});

describe('the exponent form is accepted alike', () => {
  it('lq --iterations 2e3 --seeds 1e1', () => {
    const c = parseLqConfig({ iterations: '2e3', seeds: '1e1', fitWindow: '10:2000' });
    expect([c.iterations, c.seeds]).toEqual([2000, 10]);
  });
  it('execution --episodes 1e3,2.5e3 --seeds 1e1', () => {
    const c = parseExecutionOptions('e2', { episodes: '1e3,2.5e3', seeds: '1e1' });
    expect([c.episodes, c.seeds]).toEqual([[1000, 2500], 10]);
  });
  it('lob --episodes 1e3 (validated before the refused --workers)', async () => {
    const run = await cli(['lob', 'simulate', '--regime', 'const', '--episodes', '1e3', '--workers', '0']);
    expect(run.errors).toEqual(['quantrl: --workers: must be a positive integer']);
  });
  it('a non-integral exponent form is refused for an integer flag', () => {
    expect(() => parseLqConfig({ iterations: '1.5e0' })).toThrow(/^--iterations: must be a positive integer/);
  });
});
