/**
 * kill -9 of the local runner mid-sweep, then a rerun: no run lost, none recorded twice, and the
 * collected tables byte-identical to an uninterrupted sweep's.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeVersion } from '../../src/machine.js';
import { STUDIES } from '../../src/studies.js';
import { collectStore } from '../../src/sweep/collect.js';
import { runLocal } from '../../src/sweep/local.js';
import { parseShard, planSweep } from '../../src/sweep/spec.js';
import { readRecords } from '../../src/sweep/store.js';
import { exited, spawnCli, until } from './support.js';

const SPEC = {
  study: 'lq',
  name: 'kill-test',
  base: { iterations: 20_000, engine: 'wasm', fitWindow: { from: 100, to: 20_000 } },
  grid: { 'modelFree.lrScale': { linspace: { from: 0.02, to: 0.08, num: 12 } } },
  seeds: { count: 2 },
};
const root = mkdtempSync(join(tmpdir(), 'quantrl-sweep-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const files = ['runs.csv', 'points.csv', 'runs.parquet', 'points.parquet'];

describe('kill -9 and resume', () => {
  it('loses and duplicates nothing; the tables equal an uninterrupted sweep', async () => {
    const specFile = join(root, 'spec.json');
    writeFileSync(specFile, JSON.stringify(SPEC));
    const plan = planSweep(SPEC, STUDIES, codeVersion());
    const ref = join(root, 'ref');
    await runLocal(plan, { out: ref, workers: 1, shard: parseShard('0/1'), code: codeVersion() });
    await collectStore(ref, STUDIES, { plots: false });

    const out = join(root, 'killed');
    const part = join(out, 'results', 'local-0-of-1.jsonl');
    const child = spawnCli(['sweep', 'run', specFile, '--out', out, '--workers', '1']);
    const lines = () => (existsSync(part) ? readFileSync(part, 'utf8').split('\n').length - 1 : 0);
    await until(() => lines() >= 2 || child.exitCode !== null, 60_000, 'two committed runs');
    child.kill('SIGKILL');
    expect(await exited(child)).toBe('SIGKILL');
    const before = lines();
    expect(before).toBeGreaterThanOrEqual(2);
    expect(before).toBeLessThan(plan.runs.length); // killed mid-sweep

    const resumed = await runLocal(plan, { out, workers: 2, shard: parseShard('0/1'), code: codeVersion() });
    expect(resumed.skipped).toBe(before);
    expect(resumed.done).toBe(plan.runs.length - before);
    const ok: string[] = [];
    for await (const r of readRecords(out)) if (r.status === 'ok') ok.push(r.runId);
    expect(ok.sort()).toEqual(plan.runs.map((r) => r.runId).sort()); // each run exactly once
    await collectStore(out, STUDIES, { plots: false });
    for (const f of files)
      expect(readFileSync(join(out, f)).equals(readFileSync(join(ref, f))), f).toBe(true);
  }, 120_000);
});
