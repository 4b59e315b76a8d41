/**
 * Regression pins of whole training runs: SHA-256 over V̂_0 (each set), V̂_0(11) and every step's Û_n and
 * Â_n bytes, for eight configurations covering the action classes, canonical features on/off, both
 * quantizer truncations, k > 1, Φ = 0, p_ref = p_b and a regime with a trend. The expected digests were
 * computed at commit ccaaba9 (TS enumeration; the same digests under the TS kNN twin and the kNN kernels);
 * speed work must leave every bit unchanged. Each configuration also runs with the split index in every
 * bucket (the small grids here are otherwise scanned by brute force, except under k > 1). The WASM
 * engine runs here (the TS twin's brute-force scan takes minutes); the kernel = twin tests cover the
 * other engine.
 */
import { describe, expect, it } from 'vitest';
import { KnnKernel } from '../../src/kernels/knn.js';
import { type QknnConfigInput, resolveQknnConfig } from '../../src/qknn/config.js';
import { train } from '../../src/qknn/solver.js';
import { instance } from '../support/builds.js';
import { sha256 } from '../support/digest.js';

const short = { T: 0.2, N: 8, D: 150 } as const;

const PINS: readonly [string, QknnConfigInput, string][] = [
  [
    'recommended (A1lim, double)',
    { ...short },
    '8694cb8b9c431b9c3a4ff89d7ab5b94e1e694027c2eb13c7d69dcdf238dd90ed',
  ],
  [
    'A2lim, plain estimator',
    { ...short, actions: 'A2lim', estimator: 'plain' },
    '9f8dcf63dc83ca827e31775fe024263f00875d66ea4960a5702cf843d8eb60a0',
  ],
  [
    'A2lim16, double estimator',
    { ...short, actions: 'A2lim16', D: 80 },
    'b842d42a4d38dd92b16dca3c92344f10fb26aefd008794b1f1f121531d6eff8e',
  ],
  [
    'A2lim16, one_tick, not canonical',
    { ...short, actions: 'A2lim16', l2: 'one_tick', canonical: false, D: 80, estimator: 'plain' },
    'c4c2d96e8d15c39593d9b9cf310ca9c55ddddbc822928d4bf84a502369f49383',
  ],
  [
    'paper-faithful',
    { ...short, estimator: 'plain', canonical: false, exactY: false, presenceWeight: 1, pRef: 'pb' },
    '1ca8f2e53e31626c976fd073f07d58ff8a1af2df6df383d480d2b9172439ee06',
  ],
  [
    'paper-literal truncation, L = 4',
    { ...short, truncation: 'paper-literal', L: 4 },
    '4fb99b68c29840715cd453d7b838dd9db22f70b7be2e9143582764c0ccb27d5e',
  ],
  [
    'k = 4, Φ = 0, sticky exploration',
    { ...short, k: 4, phi: 'zero', explore: 'sticky' },
    '84d5ae76cc31d2379a14573fcabf6597ac1e8312282a64152b083c3892691e62',
  ],
  [
    'hlr-dev regime, trend 0.3, A2lim',
    { ...short, regime: 'hlr-dev', trend: 0.3, actions: 'A2lim' },
    '3d08f60489415eb67b54795385af060842cc24be19afc08e36ce11da288acda8',
  ],
];

function digest(input: QknnConfigInput, kernel: KnnKernel): string {
  const r = train(resolveQknnConfig(input), { engine: 'wasm', kernel });
  return sha256(Float64Array.from([...r.V0, r.V0of11]), ...r.steps.flatMap((s) => [s.U, s.actions]));
}

describe('Qknn training regression pins (SHA-256 of V̂_0, Û_n, Â_n)', () => {
  for (const [name, input, pin] of PINS)
    it(name, { timeout: 300_000 }, async () => {
      const kernel = new KnnKernel(await instance('release'));
      expect(digest(input, kernel)).toBe(pin);
      // the split index (with its per-state candidate lists) in every bucket: the same bits
      expect(digest({ ...input, index: 'split' }, kernel)).toBe(pin);
    });
});
