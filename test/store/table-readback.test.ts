/** Tables written by the one tidy-table writer read back exactly in DuckDB (Parquet and CSV) and hyparquet. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { defineTable, TableRows, writeTable } from '../../src/store/table.js';
import { duckdbRows, sqlPath } from '../support/duckdb.js';

const schema = defineTable({
  name: 'sample',
  doc: 'A table exercising every column type.',
  columns: [
    { name: 'algorithm', type: 'string', unit: '', doc: 'label with a comma, a quote' },
    { name: 'seed', type: 'i32', unit: '', doc: 'seed index' },
    { name: 'iteration', type: 'i64', unit: 'episodes', doc: 'iteration' },
    { name: 'value', type: 'f64', unit: 'price ticks', doc: 'a double' },
    { name: 'clamped', type: 'bool', unit: '', doc: 'a flag' },
    { name: 'gap', type: 'f64', unit: '', doc: 'may be missing', nullable: true },
  ],
});

// Values chosen to stress round-trips: a non-dyadic fraction, a subnormal, a huge integer, text needing quotes.
const values = [0.1 + 0.2, -1.9572812345678912, 5e-324, 1e300];
const labels = ['model-free', 'with, comma', 'say "hi"', ' padded '];
const dir = mkdtempSync(join(tmpdir(), 'quantrl-table-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeTable', () => {
  const rows = new TableRows(schema);
  for (let i = 0; i < values.length; i++)
    rows.push({
      algorithm: labels[i] ?? '',
      seed: i,
      iteration: 2 ** 40 + i,
      value: values[i] ?? 0,
      clamped: i % 2 === 0,
      gap: i === 2 ? null : -i,
    });
  const files = writeTable(dir, schema, rows.data());

  it('reports the files and row count', () => {
    expect(files.rows).toBe(4);
    expect(files.parquet).toBe(join(dir, 'sample.parquet'));
  });

  for (const [format, reader] of [
    ['parquet', 'read_parquet'],
    ['csv', 'read_csv_auto'],
  ] as const) {
    it(`DuckDB reads the ${format} file back value for value`, async () => {
      const got = await duckdbRows(
        `SELECT * FROM ${reader}(${sqlPath(join(dir, `sample.${format}`))}) ORDER BY seed`,
      );
      expect(got.map((r) => r.algorithm)).toEqual(labels);
      expect(got.map((r) => Number(r.iteration))).toEqual(values.map((_, i) => 2 ** 40 + i));
      expect(got.map((r) => r.value)).toEqual(values); // bit-exact, also through CSV text
      expect(got.map((r) => r.clamped)).toEqual([true, false, true, false]);
      expect(got.map((r) => r.gap)).toEqual([-0, -1, null, -3]);
    });
  }

  it('DuckDB sees the schema types', async () => {
    const got = await duckdbRows(`DESCRIBE SELECT * FROM read_parquet(${sqlPath(files.parquet)})`);
    const types = Object.fromEntries(got.map((r) => [r.column_name, r.column_type]));
    expect(types).toEqual({
      algorithm: 'VARCHAR',
      seed: 'INTEGER',
      iteration: 'BIGINT',
      value: 'DOUBLE',
      clamped: 'BOOLEAN',
      gap: 'DOUBLE',
    });
  });

  it('hyparquet reads it back with the column docs and units in the metadata', async () => {
    const bytes = readFileSync(files.parquet);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const objs = await parquetReadObjects({ file });
    expect(objs.map((o) => o.value)).toEqual(values);
    const kv = Object.fromEntries(
      (parquetMetadata(file).key_value_metadata ?? []).map((e) => [e.key, e.value]),
    );
    expect(kv['quantrl.table']).toBe('sample');
    expect(kv['quantrl.column.value']).toBe('a double [price ticks]');
  });
});
