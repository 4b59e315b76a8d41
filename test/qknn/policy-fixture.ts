/** A small trained policy file's text (trained once per test file, in-process, on the JS engine). */
import { resolveQknnConfig } from '../../src/qknn/config.js';
import { policyJson } from '../../src/qknn/policy-file.js';
import { train } from '../../src/qknn/solver.js';

let text: string | undefined;

/** The policy file of a tiny recommended-configuration training (D = 20, T = 0.1, N = 4). */
export function smallPolicyText(): string {
  text ??= policyJson(train(resolveQknnConfig({ D: 20, T: 0.1, N: 4 })));
  return text;
}
