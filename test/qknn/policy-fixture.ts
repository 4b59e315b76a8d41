/** A small trained policy file's text (trained once per test file, in-process, on the JS engine). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveQknnConfig } from '../../src/qknn/config.js';
import { writePolicy } from '../../src/qknn/policy-file.js';
import { train } from '../../src/qknn/solver.js';

let text: string | undefined;

/** The policy file of a tiny recommended-configuration training (D = 20, T = 0.1, N = 4). */
export function smallPolicyText(): string {
  if (text === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'quantrl-policy-fixture-'));
    try {
      const file = join(dir, 'policy.json');
      writePolicy(file, train(resolveQknnConfig({ D: 20, T: 0.1, N: 4 })));
      text = readFileSync(file, 'utf8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return text;
}
