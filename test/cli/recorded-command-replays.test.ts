import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../commands/support.js';

// summary.json records the command that replays the run: the subcommand path once (lob's used to read
// `quantrl lob simulate lob simulate …`), every option with the value it ran with, shell-quoted.
// Replaying it gives the same results and the same resolved configuration.
const root = mkdtempSync(join(tmpdir(), 'quantrl-replay-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Splits a command line written by the session (words, or '…' with '\'' escapes). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line))
    words.push(m[1] !== undefined ? m[1].replaceAll("'\\''", "'") : (m[2] as string));
  return words;
}

const summaryOf = (out: string) => JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));

describe('the recorded command replays the run', () => {
  it.each([
    [
      'lob simulate',
      [
        'lob',
        'simulate',
        '--regime',
        'const',
        '--episodes',
        '2000',
        '--policy',
        'sticky',
        '--peg',
        '--T',
        '0.5',
      ],
    ],
    [
      'lob compare',
      ['lob', 'compare', '--regime', 'const', '--episodes', '2000', '--policies', '11, random'],
    ],
    ['lq', ['lq', '--seeds', '2', '--iterations', '200', '--fit-window', '10:200']],
    // a negated flag left at its default must not be recorded as given (it read `--no-canonical`)
    ['qknn train', ['qknn', 'train', '--D', '10', '--T', '0.1', '--N', '3']],
    ['qknn train', ['qknn', 'train', '--D', '10', '--T', '0.1', '--N', '3', '--no-canonical']],
  ])('%s', async (name, args) => {
    const out = join(root, `${name.replace(' ', '-')}-${args.length}`);
    expect((await cli([...args, '--workers', '1', '--out', out])).code).toBe(0);
    const first = summaryOf(out);
    const words = shellWords(first.command);
    expect(words.slice(0, 1 + name.split(' ').length)).toEqual(['quantrl', ...name.split(' ')]);
    expect(words.filter((w) => w === 'simulate' || w === 'compare').length).toBeLessThanOrEqual(1);
    expect((await cli(words.slice(1))).code).toBe(0);
    const again = summaryOf(out);
    expect(again.command).toBe(first.command);
    expect(again.config).toEqual(first.config);
    expect(again.policies ?? again.algorithms).toEqual(first.policies ?? first.algorithms);
  });
});
