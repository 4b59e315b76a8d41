import { describe, expect, it } from 'vitest';
import { comparisonTable, mdCell } from '../../src/report/markdown.js';

// A check named with an absolute value (|x| < 0.1, spec T8) must stay one Markdown table cell.
const unescapedPipes = (row: string) => row.split(/(?<!\\)\|/).length - 1;

describe('Markdown table cells', () => {
  it('escape a | so the row keeps its columns', () => {
    expect(mdCell('|a − b| < 0.1')).toBe('\\|a − b\\| < 0.1');
    const table = comparisonTable([
      { quantity: '|mean(A) − mean(B)|', ours: '0.05', published: '0', tolerance: '0.1', pass: true },
    ]);
    const rows = table.split('\n').filter((l) => l.startsWith('|'));
    // header, rule and the one row: five columns, six separators each
    expect(rows.map(unescapedPipes)).toEqual([6, 6, 6]);
  });
});
