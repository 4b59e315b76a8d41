import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, refusesOut } from './out-refusals.js';

// --out below a file (afile/sub/out): exit 2 naming the file; nothing is created.
const root = mkdtempSync(join(tmpdir(), 'quantrl-out-under-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const file = join(root, 'afile');
writeFileSync(file, 'x');

describe('--out under a file', () => {
  it.each(COMMANDS.map((c) => [c.slice(0, 2).join(' '), c]))('%s', async (_, args) => {
    await refusesOut(args as string[], join(file, 'sub', 'out'), /'.*afile' is a file, not a folder/);
    expect(readdirSync(root)).toEqual(['afile']);
  });
});
