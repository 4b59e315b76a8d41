// User policies from the CLI: the example policy runs beside the built-in baselines in the pool
// (every worker imports it); a module that always answers "11" reproduces the built-in "11" episode by
// episode (common random numbers); broken modules exit 2 naming the file and what went wrong.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../commands/support.js';

const dir = mkdtempSync(join(tmpdir(), 'quantrl-user-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function module(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

interface Row {
  policy: string;
  mean: number;
  sd: number;
  [k: string]: unknown;
}

function policies(out: string): Row[] {
  return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).policies as Row[];
}

const BASE = ['--regime', 'const', '--episodes', '1000', '--run', '2'];

describe('quantrl lob --policy <module>', () => {
  it('the example policy is reported beside the baselines, identically for 1 and 2 workers', async () => {
    const example = 'examples/policies/inventory-skew.mjs';
    const outs = [join(dir, 'w1'), join(dir, 'w2')];
    for (const [k, w] of ['1', '2'].entries()) {
      const r = await cli([
        'lob',
        'compare',
        ...BASE,
        '--policies',
        '11,skew',
        '--policy',
        example,
        '--workers',
        w,
        '--out',
        outs[k] as string,
      ]);
      expect(r).toEqual({ code: 0, errors: [] });
    }
    const [one, two] = outs.map(policies) as [Row[], Row[]];
    expect(one.map((p) => p.policy)).toEqual(['11', 'skew', example]);
    expect(two).toEqual(one);
    // The example caps |inventory| at 2 units plus what one event can add, unlike "11".
    expect(one[2]?.sd).toBeLessThan(one[0]?.sd as number);
  });

  it('a module answering "11" everywhere reproduces the built-in "11" on the same streams', async () => {
    const always11 = module('always-11.mjs', 'export const act = () => 3;\n');
    const batch11 = module('batch-11.mjs', 'export const actBatch = (obs, n) => new Array(n).fill(3);\n');
    const out = join(dir, 'same');
    const r = await cli([
      'lob',
      'compare',
      ...BASE,
      '--policies',
      '11',
      '--policy',
      always11,
      '--workers',
      '2',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const [builtin, mod] = policies(out) as [Row, Row];
    expect({ ...mod, policy: '11' }).toEqual(builtin);
    const out2 = join(dir, 'batch');
    expect(
      (await cli(['lob', 'simulate', ...BASE, '--policy', batch11, '--workers', '1', '--out', out2])).code,
    ).toBe(0);
    const [b, m] = policies(out2) as [Row, Row];
    expect({ ...m, policy: '11' }).toEqual(b);
  });

  it.each([
    [
      'throws.mjs',
      'export function act() { throw new Error("boom"); }\n',
      /act\(observation, info\) threw: boom/,
    ],
    [
      'string.mjs',
      'export const act = () => "buy";\n',
      /act\(observation, info\) returned "buy" \(expected an integer action index in 0…3\)/,
    ],
    ['range.mjs', 'export const act = () => 7;\n', /returned 7 \(expected an integer action index in 0…3\)/],
    [
      'batch-short.mjs',
      'export const actBatch = () => [];\n',
      /actBatch\(observations, 1, 23\) returned \[\] \(expected an array of 1 actions\)/,
    ],
    ['nothing.mjs', 'export const policy = 1;\n', /exports neither act/],
    ['syntax.mjs', 'export const act = (;\n', /the module failed to load/],
  ])('%s → exit 2 naming the file', async (name, source, message) => {
    const file = module(name, source);
    const out = join(dir, `bad-${name}`);
    const r = await cli(['lob', 'simulate', ...BASE, '--policy', file, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.errors.join('\n')).toContain(`--policy: ${file}: `);
    expect(r.errors.join('\n')).toMatch(message);
  });

  it('a module that fails later, inside a worker, also exits 2 naming the file', async () => {
    const late = module('late.mjs', 'let n = 0;\nexport const act = () => (++n > 300 ? -1 : 3);\n');
    const r = await cli([
      'lob',
      'simulate',
      ...BASE,
      '--policy',
      late,
      '--workers',
      '2',
      '--out',
      join(dir, 'late'),
    ]);
    expect(r.code).toBe(2);
    expect(r.errors.join('\n')).toMatch(
      new RegExp(`--policy: ${late}: act\\(observation, info\\) returned -1`),
    );
  });
});
