/** The tidy-table writer refuses data that does not match its table's schema and then writes nothing. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineTable, schemaMarkdown, writeTable } from '../../src/store/table.js';

const schema = defineTable({
  name: 't',
  doc: 'test table',
  columns: [
    { name: 'seed', type: 'i32', unit: '', doc: 'seed' },
    { name: 'x', type: 'f64', unit: 'ticks', doc: 'value' },
    { name: 'label', type: 'string', unit: '', doc: 'label' },
  ],
});
const dir = mkdtempSync(join(tmpdir(), 'quantrl-table-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Casts let the runtime checks see data the static types would already refuse.
const bad = (data: Record<string, unknown>) =>
  data as unknown as Parameters<typeof writeTable<typeof schema.columns>>[2];

describe('writeTable schema checks', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['a missing column', { seed: [1], x: [1] }, /missing column 'label'/],
    ['an unknown column', { seed: [1], x: [1], label: ['a'], extra: [1] }, /unknown column 'extra'/],
    ['ragged columns', { seed: [1, 2], x: [1], label: ['a', 'b'] }, /column x has 1 rows, expected 2/],
    [
      'a fractional integer',
      { seed: [1.5], x: [1], label: ['a'] },
      /column seed, row 0: expected a 32-bit integer/,
    ],
    [
      'a string in a double column',
      { seed: [1], x: ['1'], label: ['a'] },
      /column x, row 0: expected a number/,
    ],
    [
      'a null in a required column',
      { seed: [1], x: [null], label: ['a'] },
      /column x, row 0: null in a required column/,
    ],
  ];
  for (const [what, data, message] of cases)
    it(`refuses ${what} and leaves no file`, () => {
      expect(() => writeTable(dir, schema, bad(data))).toThrow(message);
      expect(readdirSync(dir)).toEqual([]);
    });

  it('refuses column names that are not snake_case or repeat', () => {
    expect(() =>
      defineTable({ name: 'u', doc: '', columns: [{ name: 'Phi1', type: 'f64', unit: '', doc: '' }] }),
    ).toThrow(/not snake_case/);
    const dup = { name: 'a', type: 'f64', unit: '', doc: '' } as const;
    expect(() => defineTable({ name: 'u', doc: '', columns: [dup, dup] })).toThrow(/duplicate column 'a'/);
  });

  it('writes header and rows with the fixed column order, and an empty table keeps its header', () => {
    writeTable(dir, schema, { label: ['b'], x: [2], seed: [7] });
    expect(readFileSync(join(dir, 't.csv'), 'utf8')).toBe('seed,x,label\n7,2.0,b\n');
    writeTable(dir, schema, { seed: [], x: [], label: [] });
    expect(readFileSync(join(dir, 't.csv'), 'utf8')).toBe('seed,x,label\n');
    expect(existsSync(join(dir, 't.parquet'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['t.csv', 't.parquet']); // no temporary file left behind
  });

  it('documents a schema as a Markdown table', () => {
    expect(schemaMarkdown(schema)).toContain('| `x` | f64 | ticks | value |');
  });
});
