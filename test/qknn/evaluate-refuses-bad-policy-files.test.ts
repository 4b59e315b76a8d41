import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../commands/support.js';
import { smallPolicyText } from './policy-fixture.js';

// quantrl qknn evaluate on a policy file it cannot trust (issue 12 "Bad input": a file of another
// configuration or code version, a truncated file): exit 2 with one line naming the file and what
// is wrong, before any episode is played.
const root = mkdtempSync(join(tmpdir(), 'quantrl-qknn-policy-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The policy text with one exact substring replaced (fails loudly when the substring is absent). */
const replaced = (from: string, to: string) => {
  const text = smallPolicyText();
  if (!text.includes(from)) throw new Error(`fixture: '${from}' not in the policy file`);
  return text.replace(from, to);
};
/** The file as JSON lines: the header, then one record per step. */
type Doc = { head: Record<string, unknown>; steps: Record<string, unknown>[] };
const edited = (edit: (doc: Doc) => void) => {
  const [head, ...steps] = smallPolicyText()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const doc: Doc = { head: head as Record<string, unknown>, steps };
  edit(doc);
  return `${[doc.head, ...doc.steps].map((r) => JSON.stringify(r)).join('\n')}\n`;
};
const b64 = (bytes: number) => Buffer.alloc(bytes).toString('base64');
/** Grid points of step n (step 0 holds the single start state; later steps hold several). */
const countOf = (d: Doc, n: number) => (d.steps[n] as { count: number }).count;

const CASES: [string, () => string, RegExp][] = [
  ['not JSON', () => 'hello', /: not a readable policy file/],
  [
    'another format',
    () => JSON.stringify({ format: 'something-else' }),
    /: not a quantrl-qknn-policy\/2 file/,
  ],
  [
    'truncated text',
    () => smallPolicyText().slice(0, smallPolicyText().length >> 1),
    /: not a readable policy file/,
  ],
  [
    'another code version',
    () => smallPolicyText().replace(/"codeVersion":"[^"]*"/, '"codeVersion":"0.0.0-old"'),
    /: written by quantrl 0\.0\.0-old, this is /,
  ],
  ['an invalid configuration', () => replaced('"regime":"const"', '"regime":"hawkes"'), /: config\.regime: /],
  ['an unknown configuration key', () => replaced('"config":{', '"config":{"gamma":1,'), /: config\..*gamma/],
  [
    'a step cut short',
    () => edited((d) => Object.assign(d.steps[2] as object, { U: b64(8 * (countOf(d, 2) - 1)) })),
    /: steps\.2\.U has \d+ bytes, expected \d+/,
  ],
  [
    'steps dropped',
    () =>
      edited((d) => {
        d.steps.pop();
        d.head.steps = d.steps.length;
      }),
    /: 3 steps, its configuration has N = 4/,
  ],
  // features of another configuration: presence bits make d = 15, the canonical configuration's is 13
  ['another feature width', () => edited((d) => Object.assign(d.head, { d: 15 })), /: d = 15\b.*\b13\b/],
  [
    'an action outside the class',
    () =>
      edited((d) =>
        Object.assign(d.steps[2] as object, {
          actions: b64(countOf(d, 2)).replace(/^AA/, 'BA'),
        }),
      ),
    /: steps\.2\.actions holds action 4/,
  ],
];

describe('quantrl qknn evaluate: policy files refused', () => {
  it.each(CASES)('%s → exit 2 naming the file', async (name, text, message) => {
    const file = join(root, `${name.replaceAll(' ', '-')}.json`);
    writeFileSync(file, text());
    const run = await cli(['qknn', 'evaluate', file, '--episodes', '10']);
    expect(run.code).toBe(2);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(new RegExp(`^quantrl: ${file.replaceAll('.', '\\.')}`));
    expect(run.errors[0]).toMatch(message);
  });

  it('a missing file, and a folder without policy.json', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    for (const [given, named] of [
      [join(root, 'missing.json'), join(root, 'missing.json')],
      [empty, join(empty, 'policy.json')],
    ] as const) {
      const run = await cli(['qknn', 'evaluate', given, '--episodes', '10']);
      expect(run.code).toBe(2);
      expect(run.errors).toEqual([expect.stringMatching(`^quantrl: ${named}: not a readable policy file`)]);
    }
  });
});
