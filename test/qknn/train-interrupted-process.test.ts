import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { earlierResult, SMALL_RUNS, snapshot, spawnCli } from '../commands/support.js';

// A quantrl qknn train process interrupted by SIGINT while the pool solves backward steps (sent by
// the session's test hook when the first chunk's result arrives) exits 130 with one line, leaves the
// earlier result in --out exactly as it was, and leaves nothing partial beside it.
const root = mkdtempSync(join(tmpdir(), 'quantrl-qknn-sigint-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('quantrl qknn train as a process: SIGINT during training', () => {
  it('exit 130, earlier result intact, no staging folder', async () => {
    const parent = mkdtempSync(join(root, 'p-'));
    const out = join(parent, 'out');
    const before = earlierResult(out);
    const run = await spawnCli([...(SMALL_RUNS['qknn train'] as string[]), '--out', out], {
      QUANTRL_TEST_SIGNAL: 'compute:SIGINT',
    });
    expect(run.code).toBe(130);
    expect(run.stderr).toBe(`quantrl: interrupted by SIGINT; ${out} was left as it was\n`);
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['out']);
  });
});
