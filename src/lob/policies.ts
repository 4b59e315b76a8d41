/**
 * Market-making policies for the order-book simulator. The built-in ones run inside the kernel (and
 * its twin) by code; a custom policy is a function of the post-event state, run by the JS engine, so
 * learned policies plug into the same harness.
 */
import type { DecideFn } from '../baseline/lob-episodes.js';
import type { PolicyModule } from '../env/policy-module.js';

import { UsageError } from '../errors.js';
import { POLICY_00, POLICY_11, POLICY_RANDOM, POLICY_SKEW, POLICY_STICKY } from './layout.js';

export const POLICY_NAMES = ['11', '00', 'random', 'sticky', 'skew'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export type LobPolicy =
  | { readonly kind: 'builtin'; readonly name: PolicyName; readonly code: number; readonly stickyRho: number }
  | { readonly kind: 'custom'; readonly name: string; readonly decide: DecideFn }
  | { readonly kind: 'module'; readonly name: string; readonly module: PolicyModule };

const CODES: Record<PolicyName, number> = {
  '11': POLICY_11,
  '00': POLICY_00,
  random: POLICY_RANDOM,
  sticky: POLICY_STICKY,
  skew: POLICY_SKEW,
};

/**
 * A built-in policy by name: "11" (always quote at both best quotes), "00" (never quote), "random"
 * (uniform over the action class at every decision), "sticky" (keep the previous action w.p. ρ, else
 * uniform), "skew" (both sides when flat, only the unwinding side otherwise).
 */
export function builtinPolicy(name: string, stickyRho = 0.8, field = 'policy'): LobPolicy {
  if (!(POLICY_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`${field}: unknown policy '${name}' (expected ${POLICY_NAMES.join(', ')})`);
  }
  if (!(stickyRho >= 0 && stickyRho <= 1)) throw new UsageError('sticky-rho: must be in [0, 1]');
  return { kind: 'builtin', name: name as PolicyName, code: CODES[name as PolicyName], stickyRho };
}

/** A custom (e.g. learned) policy: labels (0 none, 1 L1, 2 L2) per side from the state block. */
export function customPolicy(name: string, decide: DecideFn): LobPolicy {
  return { kind: 'custom', name, decide };
}

/** A user policy module (`--policy ./my-policy.mjs`), run through MarketMakingEnv on the same streams. */
export function modulePolicy(module: PolicyModule): LobPolicy {
  return { kind: 'module', name: module.file, module };
}
