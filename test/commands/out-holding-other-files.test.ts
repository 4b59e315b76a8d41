import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, refusesOut } from './out-refusals.js';
import { snapshot } from './support.js';

// A run replaces its --out folder as a whole, so a folder holding anything but an earlier quantrl
// result (its summary.json names a study) is refused: `--out .` in a project cannot wipe it.
const root = mkdtempSync(join(tmpdir(), 'quantrl-out-foreign-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const foreign = join(root, 'notes');
mkdirSync(foreign);
writeFileSync(join(foreign, 'thesis.tex'), 'precious\n');

describe('--out holding files that are not a quantrl result', () => {
  it.each(COMMANDS.map((c) => [c.slice(0, 2).join(' '), c]))('%s', async (_, args) => {
    await refusesOut(args as string[], foreign, /holds files that are not a quantrl result/);
    expect(snapshot(foreign)).toEqual({ 'thesis.tex': 'precious\n' });
  });
});
