/**
 * The execution and order-book studies in sweeps (their shipped examples at test size): the collected
 * tables are byte-identical for 1 or 2 workers and for two shards copied into one store.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeVersion } from '../../src/machine.js';
import { STUDIES } from '../../src/studies.js';
import { collectStore } from '../../src/sweep/collect.js';
import { runLocal } from '../../src/sweep/local.js';
import { parseShard, planSweep } from '../../src/sweep/spec.js';
import { exampleAtTestSize } from './support.js';

const EXAMPLES = [
  {
    study: 'execution',
    spec: exampleAtTestSize(
      'execution-discount-action-grid',
      { learner: { episodes: 300 }, evalEpisodes: 200 },
      { count: 3, chunk: 2 },
    ),
  },
  {
    study: 'lob',
    spec: exampleAtTestSize('lob-policy-regime-trend', { episodes: 150 }, { count: 3, chunk: 2 }),
  },
];

const root = mkdtempSync(join(tmpdir(), 'quantrl-sweep-studies-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const tables = (dir: string) =>
  ['runs.csv', 'points.csv', 'runs.parquet', 'points.parquet'].map((f) => readFileSync(join(dir, f)));

describe.each(EXAMPLES)('$study sweep', ({ study, spec }) => {
  it('gives byte-identical tables for 1 and 2 workers and for two merged shards', async () => {
    const plan = planSweep(spec, STUDIES, codeVersion());
    expect(plan.study.name).toBe(study);
    const dir = (d: string) => join(root, study, d);
    const run = (out: string, workers: number, shard = '0/1') =>
      runLocal(plan, { out: dir(out), workers, shard: parseShard(shard), code: codeVersion() });
    const c = await run('w1', 1);
    expect(c).toMatchObject({ total: plan.runs.length, done: plan.runs.length, failed: 0 });
    await run('w2', 2);
    await run('s0', 1, '0/2');
    await run('s1', 2, '1/2');
    cpSync(join(dir('s1'), 'results'), join(dir('s0'), 'results'), { recursive: true });
    for (const d of ['w1', 'w2', 's0']) await collectStore(dir(d), STUDIES, { plots: false });
    const ref = tables(dir('w1'));
    expect(tables(dir('w2'))).toEqual(ref);
    expect(tables(dir('s0'))).toEqual(ref);
    const rows = ref[0]?.toString().trim().split('\n') ?? [];
    expect(rows).toHaveLength(1 + plan.runs.length * 3);
    // every metric of every seed is a number (no NaN column sneaks through)
    expect(rows.slice(1).every((l) => !/,,|NaN/.test(l.replace(/"[^"]*"/g, 'x')))).toBe(true);
  }, 120_000);
});
