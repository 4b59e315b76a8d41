import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.js';

// Bad input: exit code 2, one message naming the flag, nothing written.
const root = mkdtempSync(join(tmpdir(), 'quantrl-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let stderr: string[] = [];
beforeEach(() => {
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    stderr.push(args.join(' '));
  });
});
afterEach(() => vi.restoreAllMocks());

const notAFile = join(root, 'plain-file');
writeFileSync(notAFile, 'x');

const CASES: [string, string[], RegExp][] = [
  ['unknown flag', ['lq', '--bogus', '3'], /--bogus/],
  ['zero seeds', ['lq', '--seeds', '0'], /--seeds: must be a positive integer/],
  ['negative seeds', ['lq', '--seeds', '-4'], /--seeds/],
  ['non-integer iterations', ['lq', '--iterations', '1.5'], /--iterations: must be a positive integer/],
  ['non-numeric iterations', ['lq', '--iterations', '12abc'], /--iterations: must be a positive integer/],
  ['zero workers', ['lq', '--workers', '0'], /--workers/],
  ['unknown engine', ['lq', '--engine', 'gpu'], /--engine/],
  ['unknown algorithm', ['lq', '--algo', 'magic'], /--algo/],
  ['bad fit window', ['lq', '--fit-window', '9:3'], /--fit-window/],
  ['out is a file', ['lq', '--out', notAFile], /--out/],
  ['out below a file', ['lq', '--out', join(notAFile, 'sub')], /--out/],
  ['unknown bench study', ['bench', 'nope'], /unknown study/],
];

describe('CLI usage errors', () => {
  it.each(CASES)('%s → exit 2, message names the flag, nothing written', async (_, args, message) => {
    const out = join(root, `out-${Math.random().toString(36).slice(2)}`);
    const argv = args[0] !== 'lq' || args.includes('--out') ? args : [...args, '--out', out];
    const code = await main(argv);
    expect(code).toBe(2);
    expect(stderr.join('')).toMatch(message);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root)).toEqual(['plain-file']);
  });
});
