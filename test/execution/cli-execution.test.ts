import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerExecution } from '../../src/commands/execution.js';
import { UsageError } from '../../src/errors.js';
import { readNpy } from '../../src/store/npy.js';

// `quantrl execution` as cli.ts runs it: usage errors → exit 2 with one message naming the flag.
async function run(args: string[]): Promise<{ code: number; err: string }> {
  const program = new Command('quantrl').exitOverride();
  program.configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => out.push(s) });
  registerExecution(program);
  try {
    await program.parseAsync(['execution', ...args], { from: 'user' });
    return { code: 0, err: '' };
  } catch (e) {
    if (e instanceof UsageError) return { code: 2, err: e.message };
    if (e instanceof CommanderError) return { code: e.exitCode === 0 ? 0 : 2, err: e.message };
    throw e;
  }
}

const root = mkdtempSync(join(tmpdir(), 'quantrl-execution-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let out: string[] = [];
beforeEach(() => {
  out = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out.push(a.join(' '));
  });
});
afterEach(() => vi.restoreAllMocks());

const plainFile = join(root, 'plain-file');
writeFileSync(plainFile, 'x');

const BAD: [string, string[], RegExp][] = [
  ['unknown experiment', ['e42'], /<experiment>: must be one of: e1, e2/],
  ['zero seeds', ['e1', '--seeds', '0'], /^--seeds: must be a positive integer/],
  ['fractional episodes', ['e1', '--episodes', '1.5'], /^--episodes: /],
  ['non-numeric episodes', ['e2', '--episodes', '100,abc'], /^--episodes: /],
  ['zero workers', ['e1', '--workers', '0'], /^--workers: /],
  ['unknown engine', ['e1', '--engine', 'gpu'], /^--engine: /],
  ['negative eval episodes', ['e1', '--eval-episodes', '-1'], /^--eval-episodes: /],
  ['out is a file', ['e8', '--out', plainFile], /^--out: /],
  [
    'env for a fixed experiment',
    ['e1', '--env', '{"variant":"impact"}'],
    /^--env\/--learner: only the train/,
  ],
  ['env not JSON', ['train', '--env', '{q0: 3}'], /^--env: not valid JSON/],
  [
    'negative inventory',
    ['train', '--env', '{"variant":"impact","q0":-3}'],
    /^--env\.q0: must be a positive integer/,
  ],
  [
    'zero horizon',
    ['train', '--env', '{"variant":"deterministic","horizon":0}'],
    /^--env\.horizon: must be a positive integer/,
  ],
  [
    'probability outside [0, 1]',
    ['train', '--env', '{"variant":"order-type","fill":{"kind":"all-or-nothing","p":1.5}}'],
    /^--env\.fill\.p: must be in \[0, 1\]/,
  ],
  [
    'grid that cannot liquidate',
    ['train', '--env', '{"variant":"deterministic","q0":21,"actions":[0,5,10]}'],
    /^--env\.actions: the grid \{0, 5, 10\} cannot liquidate q0 = 21/,
  ],
  [
    'state space too large',
    ['train', '--env', '{"variant":"impact","q0":2000,"horizon":300,"reward":"regret"}'],
    /state space too large/,
  ],
  [
    'learner ω out of range',
    ['train', '--learner', '{"alpha":{"kind":"poly","omega":2}}'],
    /^--learner\.alpha\.omega: must be in \(1\/2, 1\]/,
  ],
];

describe('quantrl execution: usage', () => {
  it('--help lists every experiment with one line each', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    const text = out.join('');
    for (const id of ['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9', 'train', 'all'])
      expect(text).toMatch(new RegExp(`\\n  ${id} +\\S`));
  });

  it.each(BAD)('%s → exit 2, the message names the field, nothing written', async (_, args, message) => {
    const dir = join(root, `out-${Math.random().toString(36).slice(2)}`);
    const r = await run(args.includes('--out') ? args : [...args, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(root).filter((f) => f.startsWith('out-'))).toEqual([]);
  });
});

describe('quantrl execution: output files', () => {
  it('e8 writes summary.json, report.md and its plot; prints the summary', async () => {
    const dir = join(root, 'e8');
    expect((await run(['e8', '--out', dir])).code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ study: 'optimal-execution', experiment: 'e8', pass: true });
    expect(summary.table).toHaveLength(6);
    for (const f of ['report.md', 'e8-value-vs-dt.svg', 'e8-value-vs-dt.png'])
      expect(existsSync(join(dir, f))).toBe(true);
    // 6 (Δt, h) pairs of spec §4.5 × the 4 criteria of spec §5 E8
    expect(out.join('\n')).toMatch(/E8 — HJB surrogate: PASS \(24 checked, 0 skipped\)/);
  }, 60_000);

  it('train on a small config writes the table, the three standard plots and the learned tables', async () => {
    const dir = join(root, 'train');
    const env = '{"variant":"deterministic","q0":6,"horizon":3,"actions":[0,1,2,3]}';
    const r = await run([
      'train',
      '--env',
      env,
      '--episodes',
      '3000',
      '--seeds',
      '2',
      '--workers',
      '1',
      '--eval-episodes',
      '200',
      '--out',
      dir,
    ]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.table).toHaveLength(2);
    // spec §1.1 with k = 1: three equal sales of 2 cost 3 × 2² = 12 (convex cost, no leftover)
    expect(summary.headline.optimum).toBe(-12);
    for (const f of ['train-learning-curve', 'train-liquidation-profile', 'train-policy-heatmap'])
      expect(existsSync(join(dir, `${f}.png`))).toBe(true);
    const q = readNpy(readFileSync(join(dir, 'train-q.npy')));
    expect(q.shape).toEqual([3, 7, 4]); // (N, Q0 + 1 inventories, |G|) of the config above
    const visits = readNpy(readFileSync(join(dir, 'train-visits.npy')));
    expect(visits.dtype).toBe('<i4');
  }, 120_000);

  it('--strict exits 1 when a criterion fails and 0 when all pass; the results are written either way', async () => {
    const failing = join(root, 'strict-fail');
    // E4 with a 10-episode budget: the learner criteria of spec §5 E4 cannot hold
    const args = ['e4', '--episodes', '10', '--seeds', '2', '--workers', '1', '--eval-episodes', '0'];
    await expect(run([...args, '--strict', '--out', failing])).rejects.toThrow(/^--strict: E4 .*: FAIL \(/);
    expect(existsSync(join(failing, 'summary.json'))).toBe(true);
    expect((await run([...args, '--out', join(root, 'lenient')])).code).toBe(0);
    expect((await run(['e8', '--strict', '--out', join(root, 'strict-pass')])).code).toBe(0);
  }, 60_000);

  it('a non-finite configuration with checkpoints off fails with its episode and writes nothing', async () => {
    const dir = join(root, 'non-finite');
    // k = 1e308: the cost k·a² of selling two lots overflows (spec §1.1 reward), so Q goes non-finite
    const args = [
      'train',
      '--env',
      '{"variant":"deterministic","k":1e308}',
      '--learner',
      '{"checkpoints":0}',
    ];
    const rest = [
      '--episodes',
      '200',
      '--seeds',
      '1',
      '--workers',
      '1',
      '--eval-episodes',
      '0',
      '--out',
      dir,
    ];
    await expect(run([...args, ...rest])).rejects.toThrow(/run 0, seed 0: non-finite value at episode \d+$/);
    expect(existsSync(join(dir, 'summary.json'))).toBe(false);
  }, 60_000);
});
