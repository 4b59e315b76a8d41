/**
 * The one tidy-table writer. A table has a fixed schema (column names, types, units and a sentence of
 * meaning per column); `writeTable` checks the data against it and writes `<stem>.parquet` (canonical,
 * read natively by polars, DuckDB, and pandas via pyarrow) and `<stem>.csv` beside it. Both files are
 * built in memory first and then written atomically (temporary name, then rename), so a failure —
 * a schema mismatch, a full disk — never leaves a partial file.
 */

import { join } from 'node:path';
import { ByteWriter, parquetWrite } from 'hyparquet-writer';
import { AtomicFile, writeFileAtomic } from './atomic.js';

/** Column value types: f64 = IEEE double, i32/i64 = signed integers, bool, string (UTF-8). */
export type ColumnType = 'f64' | 'i32' | 'i64' | 'bool' | 'string';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  /** Physical unit or '' when dimensionless; documented in the README and the Parquet metadata. */
  readonly unit: string;
  readonly doc: string;
  /** Whether the column may hold null (an empty CSV field). Columns are required by default. */
  readonly nullable?: boolean;
}

export interface TableSchema<C extends readonly ColumnSpec[] = readonly ColumnSpec[]> {
  /** File stem, e.g. `checkpoints` → `checkpoints.parquet` and `checkpoints.csv`. */
  readonly name: string;
  readonly doc: string;
  readonly columns: C;
}

/** Bumped whenever a table's columns change meaning, are renamed or removed. */
export const TABLE_SCHEMA_VERSION = 1;

type ValueOf<T extends ColumnType> = T extends 'string' ? string : T extends 'bool' ? boolean : number;
type ColumnValues<S extends ColumnSpec> =
  | ArrayLike<ValueOf<S['type']> | (S['nullable'] extends true ? null : never)>
  | (S['type'] extends 'f64' ? Float64Array : S['type'] extends 'i32' ? Int32Array : never);

/** Column-major data for a schema: one array per column, all of the same length. */
export type TableData<C extends readonly ColumnSpec[]> = { [K in C[number] as K['name']]: ColumnValues<K> };

/** A schema with its column names kept as literal types, so `TableData` checks keys at compile time. */
export function defineTable<const C extends readonly ColumnSpec[]>(schema: TableSchema<C>): TableSchema<C> {
  const seen = new Set<string>();
  for (const c of schema.columns) {
    if (!/^[a-z][a-z0-9_]*$/.test(c.name))
      throw new Error(`table ${schema.name}: column name '${c.name}' is not snake_case`);
    if (seen.has(c.name)) throw new Error(`table ${schema.name}: duplicate column '${c.name}'`);
    seen.add(c.name);
  }
  return schema;
}

/** Builds column-major data row by row (for drivers that produce one record at a time). */
export class TableRows<C extends readonly ColumnSpec[]> {
  private readonly cols: Record<string, unknown[]> = {};

  constructor(readonly schema: TableSchema<C>) {
    for (const c of schema.columns) this.cols[c.name] = [];
  }

  push(
    row: { [K in C[number] as K['name']]: ValueOf<K['type']> | (K['nullable'] extends true ? null : never) },
  ): void {
    const r = row as Record<string, unknown>;
    for (const c of this.schema.columns) {
      if (!(c.name in r)) throw new Error(`table ${this.schema.name}: row lacks column '${c.name}'`);
      this.cols[c.name]?.push(r[c.name]);
    }
  }

  get length(): number {
    return this.cols[this.schema.columns[0]?.name ?? '']?.length ?? 0;
  }

  data(): TableData<C> {
    return this.cols as unknown as TableData<C>;
  }
}

const PARQUET_TYPE = {
  f64: 'DOUBLE',
  i32: 'INT32',
  i64: 'INT64',
  bool: 'BOOLEAN',
  string: 'STRING',
} as const;

function checkValue(table: string, c: ColumnSpec, v: unknown, row: number): void {
  const where = `table ${table}, column ${c.name}, row ${row}`;
  if (v === null || v === undefined) {
    if (!c.nullable) throw new Error(`${where}: null in a required column`);
    return;
  }
  switch (c.type) {
    case 'f64':
      if (typeof v !== 'number') throw new Error(`${where}: expected a number, got ${typeof v}`);
      return;
    case 'i32':
      if (!Number.isInteger(v) || (v as number) < -(2 ** 31) || (v as number) >= 2 ** 31)
        throw new Error(`${where}: expected a 32-bit integer, got ${String(v)}`);
      return;
    case 'i64':
      if (!Number.isSafeInteger(v)) throw new Error(`${where}: expected a safe integer, got ${String(v)}`);
      return;
    case 'bool':
      if (typeof v !== 'boolean') throw new Error(`${where}: expected a boolean, got ${typeof v}`);
      return;
    case 'string':
      if (typeof v !== 'string') throw new Error(`${where}: expected a string, got ${typeof v}`);
      return;
  }
}

/** Checks names, lengths and value types against the schema; returns the row count. */
export function validateTable(schema: TableSchema, data: Record<string, ArrayLike<unknown>>): number {
  const expected = new Set(schema.columns.map((c) => c.name));
  for (const k of Object.keys(data))
    if (!expected.has(k)) throw new Error(`table ${schema.name}: unknown column '${k}'`);
  let rows = -1;
  for (const c of schema.columns) {
    const col = data[c.name];
    if (col === undefined) throw new Error(`table ${schema.name}: missing column '${c.name}'`);
    if (rows < 0) rows = col.length;
    else if (col.length !== rows)
      throw new Error(`table ${schema.name}: column ${c.name} has ${col.length} rows, expected ${rows}`);
    for (let i = 0; i < col.length; i++) checkValue(schema.name, c, col[i], i);
  }
  return Math.max(rows, 0);
}

/** The Parquet bytes of a validated table; column units and docs go into the key-value metadata. */
export function parquetBytes(schema: TableSchema, data: Record<string, ArrayLike<unknown>>): Uint8Array {
  const writer = new ByteWriter();
  const columnData = schema.columns.map((c) => {
    const src = data[c.name] as ArrayLike<unknown>;
    const values = Array.from(src, (v) => (c.type === 'i64' && v !== null ? BigInt(v as number) : v));
    return { name: c.name, data: values, type: PARQUET_TYPE[c.type], nullable: c.nullable === true };
  });
  parquetWrite({
    writer,
    columnData: columnData as Parameters<typeof parquetWrite>[0]['columnData'],
    kvMetadata: [
      { key: 'quantrl.table', value: schema.name },
      { key: 'quantrl.table_schema_version', value: String(TABLE_SCHEMA_VERSION) },
      { key: 'quantrl.doc', value: schema.doc },
      ...schema.columns.map((c) => ({ key: `quantrl.column.${c.name}`, value: describeColumn(c) })),
    ],
    createdBy: 'quantrl',
  });
  return new Uint8Array(writer.getBuffer());
}

function describeColumn(c: ColumnSpec): string {
  return c.unit ? `${c.doc} [${c.unit}]` : c.doc;
}

function csvField(c: ColumnSpec, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (c.type === 'string') {
    const s = v as string;
    return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
  }
  if (c.type === 'f64') return f64Text(v as number);
  return String(v);
}

/**
 * String(number) is the shortest text that reads back to the same double, so CSV loses no digits; a
 * double column always carries a '.' or exponent (and -0 its sign) so readers infer a float column.
 */
function f64Text(x: number): string {
  if (Object.is(x, -0)) return '-0.0';
  const s = String(x);
  return /[.eEN]|Infinity/.test(s) ? s : `${s}.0`;
}

/** Rows per piece of CSV text: bounds the memory of a large table's CSV to one piece at a time. */
const CSV_ROWS_PER_WRITE = 8192;

/**
 * Writes the RFC 4180 CSV of a validated table (a header of column names, then one line per row) to
 * `out` piece by piece, so a table of millions of rows never exists as one string.
 */
function writeCsv(
  out: AtomicFile,
  schema: TableSchema,
  data: Record<string, ArrayLike<unknown>>,
  rows: number,
): void {
  const cols = schema.columns.map((c) => [c, data[c.name] as ArrayLike<unknown>] as const);
  out.write(Buffer.from(`${schema.columns.map((c) => c.name).join(',')}\n`));
  for (let from = 0; from < rows; from += CSV_ROWS_PER_WRITE) {
    const lines: string[] = [];
    for (let i = from; i < Math.min(rows, from + CSV_ROWS_PER_WRITE); i++)
      lines.push(cols.map(([c, col]) => csvField(c, col[i])).join(','));
    out.write(Buffer.from(`${lines.join('\n')}\n`));
  }
}

export interface TableFiles {
  readonly parquet: string;
  readonly csv: string;
  readonly rows: number;
}

/**
 * Validates `data` against `schema` and writes `<dir>/<schema.name>.parquet` and `.csv`.
 * Nothing is written unless the whole table is valid; each file appears whole or not at all.
 */
export function writeTable<C extends readonly ColumnSpec[]>(
  dir: string,
  schema: TableSchema<C>,
  data: TableData<C>,
): TableFiles {
  const cols = data as unknown as Record<string, ArrayLike<unknown>>;
  const rows = validateTable(schema, cols);
  const stem = join(dir, schema.name);
  writeFileAtomic(`${stem}.parquet`, parquetBytes(schema, cols));
  const csv = new AtomicFile(`${stem}.csv`);
  try {
    writeCsv(csv, schema, cols, rows);
    csv.commit();
  } catch (err) {
    csv.abort();
    throw err;
  }
  return { parquet: `${stem}.parquet`, csv: `${stem}.csv`, rows };
}

/** A Markdown table documenting a schema's columns (README and docs). */
export function schemaMarkdown(schema: TableSchema): string {
  const head = '| column | type | unit | meaning |\n|---|---|---|---|';
  const body = schema.columns.map(
    // a '|' inside a cell would end it: escape it
    (c) =>
      `| \`${c.name}\` | ${c.type}${c.nullable ? ' (nullable)' : ''} | ${c.unit || '—'} | ${c.doc.replaceAll('|', '\\|')} |`,
  );
  return [head, ...body].join('\n');
}
