import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, refusesOut } from './out-refusals.js';

// --out naming an existing file: exit 2 naming --out; the file and its folder are left as they were.
const root = mkdtempSync(join(tmpdir(), 'quantrl-out-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const file = join(root, 'afile');
writeFileSync(file, 'x');

describe('--out is a file', () => {
  it.each(COMMANDS.map((c) => [c.slice(0, 2).join(' '), c]))('%s', async (_, args) => {
    await refusesOut(args as string[], file, /is a file, not a folder/);
    expect(readdirSync(root)).toEqual(['afile']);
  });
});
