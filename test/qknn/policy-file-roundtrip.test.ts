/**
 * The policy file (src/qknn/policy-file.ts) stores each step's compact grid states and times instead
 * of features: read back, every array is byte-identical, and the policy rebuilt from the file takes the
 * same decisions as the one trained in memory (the features are recomputed exactly).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluatePolicies } from '../../src/lob/harness.js';
import { resolveQknnConfig } from '../../src/qknn/config.js';
import { qknnPolicy } from '../../src/qknn/policy.js';
import { readPolicy, writePolicy } from '../../src/qknn/policy-file.js';
import { train } from '../../src/qknn/solver.js';

const dir = mkdtempSync(join(tmpdir(), 'quantrl-qknn-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('policy file round trip', () => {
  it('same arrays and same evaluation episodes as the trained policy', async () => {
    const c = resolveQknnConfig({ D: 60, T: 0.3, N: 10 });
    const r = train(c, { skipCheck: true });
    const file = join(dir, 'p.json');
    writePolicy(file, r);
    const p = readPolicy(file);
    expect(p.config).toEqual(c);
    expect(p.steps.length).toBe(r.steps.length);
    r.steps.forEach((s, n) => {
      const q = p.steps[n];
      if (!q) throw new Error(`step ${n} missing`);
      expect(q.count).toBe(s.count);
      expect(q.grid.states.constructor).toBe(s.grid.states.constructor);
      for (const [a, b] of [
        [q.grid.states, s.grid.states],
        [q.grid.times, s.grid.times],
        [q.actions, s.actions],
        [q.U, s.U],
      ] as const)
        expect(bytes(a).equals(bytes(b))).toBe(true);
    });
    const run = (steps: typeof r.steps) =>
      evaluatePolicies(
        undefined,
        { model: r.model, episodes: 200, experiment: 'qknn-policy-file-test', run: 0, engine: 'js' },
        [qknnPolicy(c, r.spec, steps).policy],
      );
    const [fromMemory, fromFile] = [await run(r.steps), await run(p.steps)];
    expect(
      bytes(fromFile.records[0] as Float64Array).equals(bytes(fromMemory.records[0] as Float64Array)),
    ).toBe(true);
  });
});
