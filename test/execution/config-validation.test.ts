import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { EnvInput } from '../../src/execution/config.js';
import { envSize, parseEnvConfig, parseLearnerConfig } from '../../src/execution/config.js';
import { buildMdp } from '../../src/execution/env.js';

const CASES: [string, unknown, RegExp][] = [
  ['negative inventory', { variant: 'deterministic', q0: -5 }, /^q0: must be a positive integer/],
  ['zero inventory', { variant: 'impact', q0: 0 }, /^q0: /],
  ['fractional inventory', { variant: 'deterministic', q0: 2.5 }, /^q0: /],
  ['zero horizon', { variant: 'deterministic', horizon: 0 }, /^horizon: must be a positive integer/],
  ['γ above 1', { variant: 'deterministic', gamma: 1.2 }, /^gamma: must be in \[0, 1\]/],
  [
    'probability above 1',
    { variant: 'impact', noise: { values: [-1, 0, 1], probs: [0.5, 1.5, -1] } },
    /^noise\.probs\.1: must be in \[0, 1\]/,
  ],
  [
    'probabilities not summing to 1',
    { variant: 'impact', noise: { values: [-1, 0, 1], probs: [0.2, 0.5, 0.2] } },
    /^noise\.probs: must sum to 1/,
  ],
  [
    'asymmetric noise',
    { variant: 'impact', noise: { values: [-1, 0, 1], probs: [0.5, 0.25, 0.25] } },
    /^noise\.probs: must be a symmetric law/,
  ],
  ['non-integer κ', { variant: 'impact', kappa: 0.5 }, /^kappa: /],
  [
    'fill probability outside [0, 1]',
    { variant: 'order-type', fill: { kind: 'all-or-nothing', p: 1.1 } },
    /^fill\.p: must be in \[0, 1\]/,
  ],
  [
    'fill law not summing to 1',
    { variant: 'order-type', fill: { kind: 'volume', probs: [0.5, 0.4] } },
    /^fill\.probs: must sum to 1/,
  ],
  ['ξ law outside [0, 1]', { variant: 'noisy-features', xiProbs: [0.5, -0.5, 1] }, /^xiProbs\.1: /],
  ['grid without 0', { variant: 'deterministic', actions: [1, 2] }, /^actions: must start with 0/],
  ['unsorted grid', { variant: 'deterministic', actions: [0, 3, 2] }, /^actions: must be sorted/],
  [
    'grid that cannot liquidate',
    { variant: 'deterministic', q0: 21, actions: [0, 5, 10] },
    /^actions: the grid \{0, 5, 10\} cannot liquidate q0 = 21/,
  ],
  [
    'grid too small for the horizon',
    { variant: 'impact', q0: 20, horizon: 2, actions: [0, 1, 2, 3] },
    /^actions: .*cannot liquidate/,
  ],
  [
    'MO sizes that cannot liquidate',
    { variant: 'order-type', q0: 50, horizon: 4, maxSize: 10 },
    /^maxSize: market orders of at most 10 lots cannot liquidate q0 = 50/,
  ],
  [
    'state space too large',
    { variant: 'impact', q0: 2000, horizon: 300, reward: 'regret' },
    /^q0 × horizon × actions: state space too large: .* MiB of tables \(limit 1024\.0 MiB\)/,
  ],
  ['unknown variant', { variant: 'lob' }, /^variant: must be one of/],
  ['unknown reward', { variant: 'impact', reward: 'sharpe' }, /^reward: must be 'is', 'pi' or 'regret'/],
];

describe('environment config validation', () => {
  it.each(CASES)('%s → UsageError naming the field', (_, raw, message) => {
    let err: unknown;
    try {
      buildMdp(raw as EnvInput); // the cast lets malformed input reach the run-time validation
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
  });

  it('computes the table size before building (the large config is refused without allocating)', () => {
    const big = { variant: 'impact', q0: 2000, horizon: 300, reward: 'regret' } as const;
    const e6 = { ...big, q0: 10, horizon: 5, noise: { values: [-3, 0, 3], probs: [0.25, 0.5, 0.25] } };
    const size = envSize(parseEnvConfig(e6));
    expect(size.states).toBe(11 * 41 * 16); // spec §6: E6 regret has 7216 states
    // Refused from its size alone, before any table exists: the message states the count of the
    // spec §1.2 grid, (Q0 + 1) lots × (2·N·max|e| + κ·Q0 + 1) prices × (N·max|e| + 1) running maxima.
    const states = (2000 + 1) * (2 * 300 * 1 + 1 * 2000 + 1) * (300 * 1 + 1);
    expect(() => parseEnvConfig(big)).toThrow(UsageError);
    expect(() => parseEnvConfig(big)).toThrow(`${states} states`);
  });

  it('fills in the spec defaults', () => {
    const c = parseEnvConfig({ variant: 'impact' });
    expect(c).toMatchObject({
      q0: 20,
      horizon: 10,
      gamma: 1,
      terminalPenalty: 10,
      eta: 1.5,
      kappa: 1,
      reward: 'is',
      noise: { values: [-1, 0, 1], probs: [0.25, 0.5, 0.25] },
    });
    expect(envSize(c)).toMatchObject({ states: 21 * 41, actions: 11, outcomes: 3 });
    expect(parseEnvConfig({ variant: 'order-type' })).toMatchObject({
      maxSize: 10,
      halfSpread: 1,
      etaMo: 0.5,
      crossPenalty: 0,
      fill: { kind: 'volume', probs: [0.2, 0.3, 0.25, 0.15, 0.1] },
    });
    expect(parseEnvConfig({ variant: 'noisy-features' })).toMatchObject({
      sigmaXi: 2,
      buckets: 4,
      beta: 0,
      projection: 'minimal',
    });
    expect(parseLearnerConfig({ episodes: 10 })).toEqual({
      episodes: 10,
      alpha: { kind: 'poly', omega: 0.6, min: 0 },
      epsilon: { kind: 'linear', start: 1, end: 0.05, fraction: 0.8 },
      qInit: 0,
      checkpoints: 50,
    });
  });

  it.each([
    [{ episodes: 0 }, /^episodes: /],
    [{ episodes: 10, alpha: { kind: 'poly', omega: 0.5 } }, /^alpha\.omega: must be in \(1\/2, 1\]/],
    [{ episodes: 10, epsilon: { kind: 'const', value: 2 } }, /^epsilon\.value: must be in \[0, 1\]/],
  ])('learner %o → UsageError naming the field', (raw, message) => {
    expect(() => parseLearnerConfig(raw)).toThrow(message);
  });
});
