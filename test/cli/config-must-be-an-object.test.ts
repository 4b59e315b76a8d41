import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../commands/support.js';

// A JSON config must be an object: `--env null` used to run the default environment.
const root = mkdtempSync(join(tmpdir(), 'quantrl-null-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const nullFile = join(root, 'null.json');
writeFileSync(nullFile, 'null');
const TRAIN = ['execution', 'train', '--seeds', '1', '--episodes', '10'];

const CASES: [string, string[], RegExp][] = [
  ['--env null', [...TRAIN, '--env', 'null'], /^quantrl: --env: must be a JSON object \(\{…\}\), got null$/],
  ['--env array', [...TRAIN, '--env', '[]'], /^quantrl: --env: must be a JSON object .*got an array$/],
  [
    '--learner null',
    [...TRAIN, '--learner', 'null'],
    /^quantrl: --learner: must be a JSON object .*got null$/,
  ],
  [
    '--learner number',
    [...TRAIN, '--learner', '3'],
    /^quantrl: --learner: must be a JSON object .*got number$/,
  ],
  [
    '--intensities null',
    ['lob', 'simulate', '--regime', 'hlr-dev', '--intensities', nullFile],
    /^quantrl: --intensities: must be a JSON object .*got null$/,
  ],
  [
    '--intensities missing file',
    ['lob', 'simulate', '--regime', 'hlr-dev', '--intensities', join(root, 'nope.json')],
    /^quantrl: --intensities: '.*nope\.json' is not a readable JSON file$/,
  ],
];

describe('JSON configs that are not objects', () => {
  it.each(CASES)('%s', async (_, args, message) => {
    const out = join(root, 'out');
    const run = await cli([...args, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});
