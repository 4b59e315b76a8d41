import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HLR_TABLES } from '../../src/lob/model.js';
import { cli } from '../commands/support.js';

// Every JSON config refuses keys it does not know, at any depth, naming the key and suggesting the
// closest known one (`{"qzero":20}` used to run the default q0 silently). Exit 2, nothing written.
const root = mkdtempSync(join(tmpdir(), 'quantrl-keys-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const file = (name: string, value: unknown) => {
  const p = join(root, name);
  writeFileSync(p, JSON.stringify(value));
  return p;
};
const TRAIN = ['execution', 'train', '--seeds', '1', '--episodes', '10'];
const LOB = ['lob', 'simulate', '--regime', 'hlr-dev', '--episodes', '10'];

const CASES: [string, string[], string][] = [
  ['--env top level', [...TRAIN, '--env', '{"variant":"impact","qzero":20}'], "--env: unknown key 'qzero'"],
  [
    '--env typo',
    [...TRAIN, '--env', '{"variant":"impact","qo":20}'],
    "--env: unknown key 'qo' (did you mean 'q0'?)",
  ],
  [
    '--env without variant',
    [...TRAIN, '--env', '{"q0":20,"horizn":5}'],
    "--env: unknown key 'horizn' (did you mean 'horizon'?)",
  ],
  [
    '--env nested',
    [...TRAIN, '--env', '{"variant":"impact","noise":{"values":[-1,0,1],"prob":[0.25,0.5,0.25]}}'],
    "--env.noise: unknown key 'prob' (did you mean 'probs'?)",
  ],
  [
    '--env of another variant',
    [...TRAIN, '--env', '{"variant":"deterministic","eta":1}'],
    "--env: unknown key 'eta'",
  ],
  [
    '--learner top level',
    [...TRAIN, '--learner', '{"alhpa":{"kind":"poly","omega":0.55}}'],
    "--learner: unknown key 'alhpa' (did you mean 'alpha'?)",
  ],
  [
    '--learner nested',
    [...TRAIN, '--learner', '{"alpha":{"kind":"poly","omgea":0.55}}'],
    "--learner.alpha: unknown key 'omgea' (did you mean 'omega'?)",
  ],
  [
    '--intensities',
    [...LOB, '--intensities', file('typo.json', { family: 'hlr', L: HLR_TABLES.L, Cc: HLR_TABLES.C })],
    "--intensities: intensities: unknown key 'Cc' (did you mean 'C'?)",
  ],
  [
    '--intensities of another family',
    [
      ...LOB,
      '--intensities',
      file('ahp.json', { family: 'constant', lambdaL: 2, theta: 0.5, lambdaM: 5, q: [0, 1] }),
    ],
    "--intensities: intensities: unknown key 'q'",
  ],
];

describe('unknown keys in JSON configs', () => {
  it.each(CASES)('%s', async (_, args, message) => {
    const out = join(root, 'out');
    const run = await cli([...args, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.errors).toEqual([`quantrl: ${message}`]);
    expect(existsSync(out)).toBe(false);
  });
});
