/**
 * Local sweeps: the collected tables are byte-identical for 1 or 2 workers and for two shards copied
 * into one store; a rerun resumes (nothing redone); a run that faults numerically is recorded with its
 * error while the others complete.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeVersion } from '../../src/machine.js';
import { STUDIES } from '../../src/studies.js';
import { collectStore } from '../../src/sweep/collect.js';
import { runLocal } from '../../src/sweep/local.js';
import { parseShard, planSweep } from '../../src/sweep/spec.js';
import { readRecords } from '../../src/sweep/store.js';

const SPEC = {
  study: 'lq',
  name: 'local-test',
  base: { iterations: 300, fitWindow: { from: 10, to: 300 } },
  grid: { 'modelFree.lrScale': [0.03, 0.06], 'model.A': [1, 100000] },
  seeds: { count: 3, chunk: 2 },
};
const plan = planSweep(SPEC, STUDIES, codeVersion());
const root = mkdtempSync(join(tmpdir(), 'quantrl-sweep-local-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (out: string, workers: number, shard = '0/1') =>
  runLocal(plan, { out, workers, shard: parseShard(shard), code: codeVersion() });
const tables = (dir: string) =>
  ['runs.csv', 'points.csv', 'runs.parquet', 'points.parquet'].map((f) => readFileSync(join(dir, f)));

describe('local sweep', () => {
  it('records the numeric fault of a run and completes the others', async () => {
    const c = await run(join(root, 'w1'), 1);
    expect(c).toMatchObject({ total: 4, done: 2, failed: 2, skipped: 0 });
    const records = [];
    for await (const r of readRecords(join(root, 'w1'))) records.push(r);
    const failed = records.filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.run).sort()).toEqual([1, 3]); // model.A = 1e5 blows up
    expect(failed.find((r) => r.run === 1)).toMatchObject({
      error: expect.stringMatching(/run 1, seed 1: non-finite .* at iteration 1/),
    });
  }, 60_000);

  it('resumes: a rerun redoes only the failed runs', async () => {
    const c = await run(join(root, 'w1'), 1);
    expect(c).toMatchObject({ total: 4, skipped: 2, done: 0, failed: 2 });
  }, 60_000);

  it('gives byte-identical tables for 1 and 2 workers and for two merged shards', async () => {
    await run(join(root, 'w2'), 2);
    await run(join(root, 's0'), 1, '0/2');
    await run(join(root, 's1'), 1, '1/2');
    cpSync(join(root, 's1', 'results'), join(root, 's0', 'results'), { recursive: true });
    for (const d of ['w1', 'w2', 's0']) await collectStore(join(root, d), STUDIES, { plots: false });
    expect(readdirSync(join(root, 's0', 'results')).sort()).toEqual([
      'local-0-of-2.jsonl',
      'local-1-of-2.jsonl',
    ]);
    const ref = tables(join(root, 'w1'));
    expect(tables(join(root, 'w2'))).toEqual(ref);
    expect(tables(join(root, 's0'))).toEqual(ref);
    const points = ref[1]?.toString().split('\n') ?? [];
    expect(points[0]).toMatch(/^run,run_id,status,error,p_model_free_lr_scale,p_model_a,/);
    expect(points.filter((l) => /,failed,/.test(l))).toHaveLength(2);
    expect(ref[0]?.toString().trim().split('\n')).toHaveLength(1 + 2 * 3); // header + 2 runs × 3 seeds
  }, 120_000);
});
