import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KERNEL_BLOCK_LIMIT, KERNEL_MEMORY_LIMIT } from '../../src/commands/session.js';
import { LQ_DEFAULTS, MAX_ITERATIONS, parseLqConfig } from '../../src/lq/config.js';
import { lqMemory } from '../../src/lq/run-study.js';
import { cli } from '../commands/support.js';

// Size before work: requests that cannot run are refused with exit 2 naming the flag before any
// thread, buffer or file exists; pools never start more threads than there are jobs.
const root = mkdtempSync(join(tmpdir(), 'quantrl-oversized-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const REFUSED: [string, string[], RegExp][] = [
  // used to die after 13–18 s with "wasm abort: Allocation too large" (the schedule is one 1.6 GB block)
  [
    'lq --iterations 50000000',
    ['lq', '--iterations', '50000000'],
    /^quantrl: --iterations: must be at most 30000000$/,
  ],
  // 100,000 seeds × 30M iterations × 16 bytes of stored paths: petabytes
  [
    'lq --paths full, huge',
    ['lq', '--seeds', '100000', '--iterations', '30000000', '--paths', 'full'],
    /^quantrl: --paths: the run needs about .* more than this machine's/,
  ],
  // used to start 775 threads
  [
    'lob --workers 100000',
    ['lob', 'simulate', '--regime', 'const', '--workers', '100000'],
    /^quantrl: --workers: must be at most 256$/,
  ],
  [
    'lob --episodes 1e9',
    ['lob', 'simulate', '--regime', 'const', '--episodes', '1e9'],
    /^quantrl: --episodes: must be at most 10000000$/,
  ],
  // tables of ≈ 0.9 GB (767 MB transitions), counted once per worker (256 of them) and once in the main thread
  [
    'execution train, one table copy per worker',
    [
      'execution',
      'train',
      '--seeds',
      '256',
      '--workers',
      '256',
      '--env',
      '{"variant":"impact","q0":200,"horizon":20}',
    ],
    /^quantrl: --env: the run needs about .* \(256 workers × .*\), more than this machine's/,
  ],
  // a state space beyond the table limit is refused by the O(1) size check, before the feasibility scan
  [
    'execution train, state space too large',
    ['execution', 'train', '--env', '{"variant":"impact","q0":100000,"horizon":10000}'],
    /^quantrl: --env\.q0 × horizon × actions: state space too large/,
  ],
];

describe('oversized requests', () => {
  it.each(REFUSED)('%s → exit 2 before any allocation', async (_, args, message) => {
    const out = join(root, `out-${Math.random().toString(36).slice(2)}`);
    const run = await cli([...args, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('the documented --iterations cap fits the kernel (its largest block and its memory)', () => {
    const cfg = parseLqConfig({ iterations: String(MAX_ITERATIONS), seeds: '1', workers: '1' });
    const need = lqMemory(cfg, ['model-free', 'model-based'], 1);
    expect(need.largestBlockBytes).toBeLessThanOrEqual(KERNEL_BLOCK_LIMIT);
    expect(need.kernelBytes).toBeLessThanOrEqual(KERNEL_MEMORY_LIMIT);
    expect(LQ_DEFAULTS.iterations).toBeLessThanOrEqual(MAX_ITERATIONS);
  });

  it('lq --workers 256 on 4 seeds starts 2 threads (2 SIMD pairs = 2 jobs)', async () => {
    const out = join(root, 'clamped');
    const run = await cli([
      'lq',
      '--workers',
      '256',
      '--seeds',
      '4',
      '--iterations',
      '100',
      '--fit-window',
      '10:100',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.workers).toBe(2);
    expect(summary.config.workers).toBe(256); // what was asked, next to what ran
  });
});
