// `quantrl execution evaluate --policy`: the episodes run as pool tasks in which every worker imports
// the module; the study's results (every policy's mean/sd/SE, the paired difference, V*) are the same
// bytes for 1 and 2 workers, because each episode's stream depends only on (experiment, run, episode)
// and the host assembles the returns in episode order.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cli } from '../commands/support.js';

const dir = mkdtempSync(join(tmpdir(), 'quantrl-exec-eval-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The study's fields of summary.json, serialised (the envelope holds the worker count and times). */
function results(out: string): string {
  const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  return JSON.stringify([s.streams, s.episodes, s.optimalValue, s.policies, s.pairedVsOptimal]);
}

it('1 and 2 workers give byte-identical evaluation results', async () => {
  const outs = ['1', '2'].map((w) => join(dir, `w${w}`));
  for (const [k, w] of ['1', '2'].entries()) {
    const r = await cli([
      'execution',
      'evaluate',
      '--policy',
      'examples/policies/execution-twap.mjs',
      // 5000 episodes = 3 tasks (2000 per task): with 2 workers the ranges finish out of order
      '--eval-episodes',
      '5000',
      '--workers',
      w,
      '--out',
      outs[k] as string,
    ]);
    expect(r).toEqual({ code: 0, errors: [] });
  }
  const [one, two] = outs.map(results) as [string, string];
  expect(JSON.parse(readFileSync(join(outs[1] as string, 'summary.json'), 'utf8')).workers).toBe(2);
  expect(two).toBe(one);
  expect(JSON.parse(one)[3]).toHaveLength(3);
});
