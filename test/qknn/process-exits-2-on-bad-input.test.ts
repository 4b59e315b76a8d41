import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../commands/support.js';
import { smallPolicyText } from './policy-fixture.js';

// The quantrl process itself (not only main()) refuses bad Qknn input with exit status 2 and exactly
// one line on stderr naming the flag or the file, and writes nothing.
const root = mkdtempSync(join(tmpdir(), 'quantrl-qknn-process-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('quantrl qknn as a process: bad input', () => {
  // every flag's refusal is covered in-process by train-refuses-bad-flags.test.ts
  it('train --regime hawkes → exit 2 naming --regime', async () => {
    const parent = mkdtempSync(join(root, 'p-'));
    const run = await spawnCli(['qknn', 'train', '--regime', 'hawkes', '--out', join(parent, 'out')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^quantrl: --regime: [^\n]*\n$/);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('evaluate of a truncated policy file → exit 2 naming the file', async () => {
    const file = join(root, 'truncated.json');
    const text = smallPolicyText();
    writeFileSync(file, text.slice(0, text.length >> 1));
    const run = await spawnCli(['qknn', 'evaluate', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^quantrl: ${file}: not a readable policy file [^\\n]*\\n$`));
  });
});
