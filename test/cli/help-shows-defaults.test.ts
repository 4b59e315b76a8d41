/**
 * Help texts stand on their own: every option of the study commands shows a default (or says it is
 * required), the execution help lists every --env field of every variant and every --learner field
 * with its default, the order-book help explains policies, action classes and per-regime defaults,
 * no help points to a spec that does not ship, and `quantrl help <command> <subcommand>` works.
 */
import type { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildProgram, main } from '../../src/cli.js';
import { parseEnvConfig, parseLearnerConfig } from '../../src/execution/config.js';
import { ENV_FIELD_MEANING, LEARNER_FIELD_MEANING, VARIANTS } from '../../src/execution/fields.js';

const STUDY_COMMANDS = [
  ['lq'],
  ['regret-study'],
  ['execution'],
  ['lob', 'simulate'],
  ['lob', 'compare'],
  ['qknn', 'train'],
  ['qknn', 'evaluate'],
  ['qknn', 'experiment'],
];

function find(path: string[]): Command {
  let c = buildProgram();
  for (const name of path) c = c.commands.find((x) => x.name() === name) as Command;
  return c;
}

/** The full help of a command, including texts added after the options. */
async function helpOf(argv: string[]): Promise<string> {
  const out: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out.push(String(s));
    return true;
  });
  expect(await main(argv)).toBe(0);
  return out.join('');
}
afterEach(() => vi.restoreAllMocks());

describe('help texts', () => {
  for (const path of STUDY_COMMANDS)
    it(`quantrl ${path.join(' ')}: every option shows its default or is required`, () => {
      for (const o of find(path).options) {
        if (o.long === '--help') continue;
        const documented =
          o.defaultValue !== undefined || o.mandatory || /\((default|required)\b/.test(o.description);
        expect(documented, `${path.join(' ')} ${o.long}: ${o.description}`).toBe(true);
      }
    });

  it('`quantrl help lob simulate` prints the help of lob simulate', async () => {
    const text = await helpOf(['help', 'lob', 'simulate']);
    expect(text).toContain('Usage: quantrl lob simulate');
    expect(text).toContain('--policy <name|file>');
  });

  it('the execution help lists every config field with its meaning and default', async () => {
    const text = await helpOf(['execution', '--help']);
    for (const v of VARIANTS)
      for (const [k, value] of Object.entries(parseEnvConfig({ variant: v }))) {
        expect(ENV_FIELD_MEANING[k], `meaning of --env field ${k}`).toBeDefined();
        if (k !== 'variant') expect(text).toContain(`(default ${JSON.stringify(value)})`);
      }
    for (const k of Object.keys(parseLearnerConfig({ episodes: 1 })))
      expect(LEARNER_FIELD_MEANING[k], `meaning of --learner field ${k}`).toBeDefined();
    expect(text).toContain("variant 'order-type':");
    expect(text).toContain('docs/optimal-execution.md');
  });

  it('the order-book help explains the policies, the action classes and the regime defaults', async () => {
    const text = await helpOf(['lob', 'compare', '--help']);
    expect(text).toMatch(/00 = never quote/);
    expect(text).toMatch(/A2lim16 = /);
    expect(text).toMatch(/--boundary\s+refill\s+reservoir\s+reservoir\s+reservoir/);
    expect(text).toContain('docs/lob.md');
  });

  it('no help text refers to the spec', async () => {
    for (const path of STUDY_COMMANDS) expect(await helpOf([...path, '--help'])).not.toMatch(/\bspec\b/i);
  });
});
