import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { cli } from '../commands/support.js';

// quantrl qknn train writes its output folder through the run session (policy.json and summary.json,
// nothing else), and quantrl qknn evaluate accepts that folder or the policy.json inside it alike.
const root = mkdtempSync(join(tmpdir(), 'quantrl-qknn-roundtrip-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the CLI and returns its exit code and what it printed on stdout. */
async function printed(args: string[]): Promise<{ code: number; stdout: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    lines.push(a.join(' '));
  });
  try {
    return { code: await main(args), stdout: lines.join('\n') };
  } finally {
    log.mockRestore();
  }
}

describe('qknn train → qknn evaluate', () => {
  it('evaluates the folder train wrote, and its policy.json, identically', async () => {
    const out = join(root, 'policy');
    const train = await cli([
      'qknn',
      'train',
      '--D',
      '10',
      '--T',
      '0.1',
      '--N',
      '3',
      '--workers',
      '1',
      '--out',
      out,
    ]);
    expect(train.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['policy.json', 'summary.json']);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    // the policy file's first line holds its format, configuration and training summary
    const policy = JSON.parse(readFileSync(join(out, 'policy.json'), 'utf8').split('\n')[0] as string);
    expect(summary.study).toBe('qknn-train');
    expect(summary.files).toEqual(['policy.json', 'summary.json']);
    expect(summary.policyFormat).toBe(policy.format);
    expect(summary.config).toEqual(policy.config);
    expect(summary.V0).toEqual(policy.summary.V0);

    const fromFolder = await printed(['qknn', 'evaluate', out, '--episodes', '50']);
    const fromFile = await printed(['qknn', 'evaluate', join(out, 'policy.json'), '--episodes', '50']);
    expect(fromFolder.code).toBe(0);
    expect(fromFile.code).toBe(0);
    expect(fromFolder.stdout).toMatch(/qknn: \d+ decisions/);
    expect(fromFile.stdout).toBe(fromFolder.stdout);
  });
});
