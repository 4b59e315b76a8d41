import { describe, expect, it } from 'vitest';
import { comparisonChecks, comparisonTable, judge } from '../../src/report/markdown.js';

// The LQ and order-book reports compare figures with published ones in the same pass/fail vocabulary
// as the execution criteria (src/checks.ts): a figure not judged at this size is skipped, a figure
// without a published tolerance is not a check, and a table of skipped figures only is not a pass.
const row = (quantity: string, pass?: boolean | null) => ({
  quantity,
  ours: '1',
  published: '1',
  tolerance: '± 0.1',
  ...(pass === undefined ? {} : { pass }),
});

describe('comparison tables', () => {
  it('judge: within the tolerance, outside it, non-finite, not judged', () => {
    expect(judge(1.05, 1, 0.1)).toBe(true);
    expect(judge(1.2, 1, 0.1)).toBe(false);
    expect(judge(Number.NaN, 1, 0.1)).toBe(false);
    expect(judge(1, 1, 0.1, false)).toBeNull();
  });

  it('head the table with the verdict and mark each row PASS, FAIL, SKIP or no tolerance', () => {
    const rows = [row('a', true), row('b', null), row('c')];
    expect(comparisonChecks(rows).map((c) => c.name)).toEqual(['a', 'b']);
    const table = comparisonTable(rows);
    expect(table.split('\n')[0]).toBe('Result: **PASS (1 checked, 1 skipped)**');
    expect(table).toContain('| a | 1 | 1 | ± 0.1 | PASS |');
    expect(table).toContain('| b | 1 | 1 | ± 0.1 | SKIP |');
    expect(table).toContain('| c | 1 | 1 | ± 0.1 | no tolerance |');
    expect(comparisonTable([row('a', false), row('b', true)]).split('\n')[0]).toBe(
      'Result: **FAIL (1 of 2 checked failed, 0 skipped)**',
    );
    expect(comparisonTable([row('b', null)]).split('\n')[0]).toBe(
      'Result: **NOT CHECKED (0 checked, 1 skipped)**',
    );
  });
});
