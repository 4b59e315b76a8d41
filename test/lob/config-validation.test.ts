// Bad input names the field (UsageError → exit 2): negative intensities, K < 1, a∞ < 1, T ≤ 0,
// unknown regime or policy.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { HLR_TABLES, resolveModel } from '../../src/lob/model.js';
import { builtinPolicy } from '../../src/lob/policies.js';

const rejects = (fn: () => unknown, field: RegExp) => {
  expect(fn).toThrow(UsageError);
  expect(fn).toThrow(field);
};

describe('order-book model validation', () => {
  it('accepts the four regimes with the spec defaults', () => {
    expect(resolveModel('const')).toMatchObject({ K: 3, aInf: 2, boundary: 'refill', T: 1 });
    expect(resolveModel('hlr')).toMatchObject({ K: 3, aInf: 3, timeScale: 30, boundary: 'reservoir' });
    expect(resolveModel('hlr-dev')).toMatchObject({ timeScale: 10 });
    expect(resolveModel('ahp')).toMatchObject({ K: 2, aInf: 5, T: 8, maxEvents: 160 });
  });

  it('rejects unknown regimes and policies by name', () => {
    rejects(() => resolveModel('hawkes'), /^regime: unknown regime 'hawkes'/);
    rejects(() => builtinPolicy('22'), /^policy: unknown policy '22'/);
  });

  it('rejects K < 1, a∞ < 1, b∞ < 1 and T ≤ 0', () => {
    rejects(() => resolveModel('const', { K: 0 }), /^K: /);
    rejects(() => resolveModel('const', { aInf: 0 }), /^aInf: /);
    rejects(() => resolveModel('const', { bInf: -1 }), /^bInf: /);
    rejects(() => resolveModel('const', { T: 0 }), /^T: /);
    rejects(() => resolveModel('const', { T: -1 }), /^T: /);
  });

  it('rejects negative intensities and tables with negative values', () => {
    rejects(
      () =>
        resolveModel('const', { intensities: { family: 'constant', lambdaL: 2, theta: -0.5, lambdaM: 5 } }),
      /^intensities\.theta: /,
    );
    const L = HLR_TABLES.L.map((row) => row.slice());
    (L[1] as number[])[3] = -0.1;
    rejects(() => resolveModel('hlr', { intensities: { family: 'hlr', L } }), /^intensities\.L\.1\.3: /);
  });

  it('rejects a trend with |κ| ≥ 1 (negative market intensity) and inconsistent table shapes', () => {
    rejects(() => resolveModel('const', { trend: 1 }), /^trend: /);
    rejects(() => resolveModel('hlr', { K: 4 }), /^K: /);
    rejects(() => resolveModel('hlr', { intensities: { family: 'hlr', M: [[0, 1]] } }), /^intensities\.M/);
  });
});
