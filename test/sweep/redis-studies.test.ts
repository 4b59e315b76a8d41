/**
 * The execution and order-book example sweeps (at test size) through a real Redis: one worker process,
 * `sweep enqueue --wait`, then collect — the tables equal local mode's byte for byte. Runs when
 * QUANTRL_TEST_REDIS_URL is set (`.ci/run` starts redis-server and sets it); skipped otherwise.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { codeVersion } from '../../src/machine.js';
import { STUDIES } from '../../src/studies.js';
import { collectStore } from '../../src/sweep/collect.js';
import { runLocal } from '../../src/sweep/local.js';
import { parseShard, planSweep } from '../../src/sweep/spec.js';
import { exampleAtTestSize, exited, spawnCli } from './support.js';

const REDIS = process.env.QUANTRL_TEST_REDIS_URL;

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

const root = mkdtempSync(join(tmpdir(), 'quantrl-sweep-redis-studies-'));
let worker: ChildProcess | undefined;
afterAll(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) {
    worker.kill('SIGTERM');
    await exited(worker);
  }
  rmSync(root, { recursive: true, force: true });
});
const files = ['runs.csv', 'points.csv', 'runs.parquet', 'points.parquet'];

async function cli(args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((m: string) => void lines.push(m));
  const err = vi.spyOn(console, 'error').mockImplementation((m: string) => void lines.push(m));
  try {
    return { code: await main(args), text: lines.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

describe.skipIf(!REDIS)('execution and order-book sweeps through Redis', () => {
  const url = REDIS as string;
  const queue = `studies-${process.pid}`;

  it.each(EXAMPLES)(
    '$study: the tables equal local mode byte for byte',
    async ({ study, spec }) => {
      worker ??= spawnCli(['sweep', 'worker', '--redis', url, '--queue', queue, '--workers', '1']);
      const file = join(root, `${study}.json`);
      writeFileSync(file, JSON.stringify(spec));
      const local = join(root, `${study}-local`);
      await runLocal(planSweep(spec, STUDIES, codeVersion()), {
        out: local,
        workers: 1,
        shard: parseShard('0/1'),
        code: codeVersion(),
      });
      const remote = join(root, `${study}-redis`);
      const r = await cli([
        'sweep',
        'enqueue',
        file,
        '--redis',
        url,
        '--queue',
        queue,
        '--wait',
        '--out',
        remote,
      ]);
      expect(r.code, r.text).toBe(0);
      expect(r.text).toMatch(/ 0 failed/);
      for (const d of [local, remote]) await collectStore(d, STUDIES, { plots: false });
      for (const f of files)
        expect(readFileSync(join(remote, f)).equals(readFileSync(join(local, f))), f).toBe(true);
    },
    120_000,
  );
});
