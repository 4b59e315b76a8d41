/**
 * Product time mode at the edges: bad flags name themselves (exit 2, nothing written); a product
 * policy file round-trips its time points and refuses edits that no longer match its configuration;
 * the forward policy plays the nearest state's entry at the first time point ≥ t; pooled training
 * gives the same bytes as the synchronous one.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerQknn, trainConfig } from '../../src/commands/qknn.js';
import { UsageError } from '../../src/errors.js';
import { KnnKernel } from '../../src/kernels/knn.js';
import { STATE_SLOTS } from '../../src/lob/layout.js';
import { AUTHORS_LIKE, PAPER_FAITHFUL, qknnModel, resolveQknnConfig } from '../../src/qknn/config.js';
import { qknnFeatureSpec } from '../../src/qknn/features.js';
import { loadState } from '../../src/qknn/grids.js';
import { qknnLookAheadPolicy, qknnPolicy } from '../../src/qknn/policy.js';
import { readPolicy } from '../../src/qknn/policy-file.js';
import { pooledSteps, trainPooled } from '../../src/qknn/pool.js';
import { timeIndex } from '../../src/qknn/product.js';
import { type TrainResult, train } from '../../src/qknn/solver.js';
import { QKNN_CHUNK_TASK, type QknnChunkResult, type QknnChunkTask } from '../../src/qknn/tasks.js';
import { Runner } from '../../src/runner/pool.js';
import { BUILDS, instance } from '../support/builds.js';

const dir = mkdtempSync(join(tmpdir(), 'quantrl-qknn-product-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function program(): Command {
  const p = new Command('quantrl').exitOverride();
  registerQknn(p);
  return p;
}

async function fails(args: string[], out?: string): Promise<string> {
  let message = '';
  try {
    await program().parseAsync(['qknn', ...args], { from: 'user' });
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    message = (err as Error).message;
  }
  if (out) expect(existsSync(out)).toBe(false);
  return message;
}

describe('qknn train, product time mode: bad input', () => {
  it.each([
    [['--time-mode', 'cells'], /^--time-mode: /],
    [['--time-mode', 'product', '--J', '0'], /^--J: /],
    [['--time-mode', 'product', '--J', '2.5'], /^--J: /],
    [['--time-mode', 'product', '--J', 'many'], /^--J: must be a decimal number/],
    [['--time-mode', 'product', '--truncation', 'paper-literal'], /^--truncation: product mode/],
    [['--time-mode', 'product', '--look-ahead'], /^--look-ahead: not available in product time mode/],
    [['--authors-like', '--paper-faithful'], /^--authors-like: /],
  ])('%j → %s', async (args, message) => {
    const out = join(dir, `p-${Math.random().toString(36).slice(2)}.json`);
    expect(await fails(['train', ...args, '--out', out], out)).toMatch(message);
  });

  it('--authors-like is paper-faithful with product mode, J = 20 and Φ = 0', () => {
    const c = trainConfig({ authorsLike: true });
    expect(c).toEqual(resolveQknnConfig({ ...PAPER_FAITHFUL, timeMode: 'product', J: 20, phi: 'zero' }));
    expect(c).toEqual(resolveQknnConfig(AUTHORS_LIKE));
  });
});

describe('product policy file and forward policy', () => {
  it('round-trips, refuses mismatched edits and the look-ahead; the policy reads (nearest state, first τ ≥ t)', async () => {
    const policy = join(dir, 'product');
    const args = ['--D', '30', '--T', '0.2', '--N', '4', '--time-mode', 'product', '--J', '5'];
    await program().parseAsync(
      ['qknn', 'train', ...args, '--engine', 'js', '--workers', '1', '--out', policy],
      {
        from: 'user',
      },
    );
    const p = readPolicy(policy);
    const c = resolveQknnConfig({ D: 30, T: 0.2, N: 4, timeMode: 'product', J: 5 });
    const sync = train(c, { engine: 'js' });
    p.steps.forEach((s, n) => {
      const r = sync.steps[n];
      expect(s.taus).toEqual(r?.taus);
      expect(s.actions).toEqual(r?.actions);
      expect(s.U).toEqual(r?.U);
      expect(s.actions.length).toBe(s.count * 5);
    });
    expect(await fails(['evaluate', policy, '--look-ahead'])).toMatch(/^--look-ahead: not available/);

    const text = readFileSync(join(policy, 'policy.json'), 'utf8');
    const edit = (
      name: string,
      change: (doc: { config: Record<string, unknown>; steps: Record<string, unknown>[] }) => void,
    ) => {
      // the policy file is JSON lines: a header, then one line per step
      const lines = text.trimEnd().split('\n');
      const doc = { ...JSON.parse(lines[0] as string), steps: lines.slice(1).map((l) => JSON.parse(l)) };
      change(doc);
      // the header's own `steps` is the number of step lines
      const { steps, ...header } = doc;
      const f = join(dir, name);
      const out = [{ ...header, steps: steps.length }, ...steps];
      writeFileSync(f, `${out.map((x) => JSON.stringify(x)).join('\n')}\n`);
      return f;
    };
    // another J: every table has the wrong length
    expect(await fails(['evaluate', edit('j.json', (d) => (d.config.J = 6))])).toMatch(
      /j\.json: steps\.0\.actions has/,
    );
    // joint mode with time points, or product mode without them
    expect(
      await fails([
        'evaluate',
        edit('joint.json', (d) => {
          d.config.timeMode = 'joint';
          d.config.J = 20;
        }),
      ]),
    ).toMatch(/joint\.json: steps\.0\.actions has/);
    expect(
      await fails([
        'evaluate',
        edit('notaus.json', (d) => delete (d.steps[1] as Record<string, unknown>).taus),
      ]),
    ).toMatch(/notaus\.json: steps\.1\.taus missing/);
    expect(await fails(['evaluate', edit('d.json', (d) => (d.config.canonical = false))])).toMatch(
      /d\.json: d = 13\b.*\b15\b/,
    );

    // the forward policy: the state's nearest grid state (here the state itself), its entry at the first τ ≥ t
    const model = qknnModel(c);
    const spec = qknnFeatureSpec(c, model);
    const n = 1;
    const step = p.steps[n];
    const grid = sync.grids[n];
    if (!step?.taus || !grid) throw new Error('no step 1');
    const seen: number[] = [];
    const dec = qknnPolicy(c, spec, p.steps, 'qknn', (_st, ask, bid) => seen.push(ask * 2 + bid));
    if (dec.policy.kind !== 'custom') throw new Error('not a custom policy');
    const decide = dec.policy.decide;
    let checked = 0;
    for (let i = 0; i < grid.count; i++) {
      const st = loadState(grid, i, new Int32Array(STATE_SLOTS));
      for (const t of [0, ...step.taus, (step.taus[2] as number) - 1e-9, 0.2]) {
        decide(st, n, t);
        const j = timeIndex(step.taus, t);
        expect(seen.at(-1)).toBe(step.actions[i * 5 + j]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(timeIndex(Float64Array.of(0.1, 0.2, 0.2, 0.3), 0.2)).toBe(1);
    expect(timeIndex(Float64Array.of(0.1, 0.2, 0.2, 0.3), 0.35)).toBe(3);
    expect(() => qknnLookAheadPolicy(c, spec, p.steps)).toThrow(/joint time mode only/);
  }, 120_000);
});

describe('product mode: pooled = synchronous, WASM = TS twin', () => {
  const bytes = (r: TrainResult) =>
    Buffer.concat(
      r.steps.flatMap((s) => [
        Buffer.from(s.U.buffer, s.U.byteOffset, s.U.byteLength),
        Buffer.from(s.actions),
      ]),
    );
  it('1 and 2 workers, double estimator, split and brute-force buckets; = the WASM searches', async () => {
    const c = resolveQknnConfig({ T: 0.2, N: 6, D: 300, bruteMax: 20, timeMode: 'product', J: 7 });
    const sync = train(c, { engine: 'js' });
    for (const w of [1, 2]) {
      const runner = await Runner.open({ workers: w });
      try {
        const seen: number[] = [];
        const pooled = await trainPooled(c, {
          engine: 'js',
          workers: w,
          run: (t: QknnChunkTask) => runner.run<QknnChunkResult>(QKNN_CHUNK_TASK, t),
          onSteps: (d) => seen.push(d),
        });
        expect(pooled.V0).toEqual(sync.V0);
        expect(Object.is(pooled.V0of11, sync.V0of11)).toBe(true);
        expect(bytes(pooled).equals(bytes(sync))).toBe(true);
        expect(pooled.steps.map((s) => s.taus)).toEqual(sync.steps.map((s) => s.taus));
        expect(pooled.timings.queries).toBe(sync.timings.queries);
        expect(seen.at(-1)).toBe(pooledSteps(6, {}));
      } finally {
        await runner.close();
      }
    }
    // the WASM searches (split index over the constant time column, brute force) give the same bytes
    for (const build of BUILDS) {
      const wasm = train(c, { engine: 'wasm', kernel: new KnnKernel(await instance(build)) });
      expect(bytes(wasm).equals(bytes(sync))).toBe(true);
      expect(Object.is(wasm.V0of11, sync.V0of11)).toBe(true);
    }
  }, 180_000);
});
