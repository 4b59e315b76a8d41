/**
 * Local stand-in for the shared tidy-table writer (being built on another branch): CSV only, the
 * same interface. Replaced by the real module (Parquet + CSV) when it lands.
 */
import { join } from 'node:path';
import { writeFileAtomic } from './atomic.js';

export type ColumnType = 'f64' | 'i32' | 'i64' | 'bool' | 'string';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly unit: string;
  readonly doc: string;
  readonly nullable?: boolean;
}

export interface TableSchema<C extends readonly ColumnSpec[] = readonly ColumnSpec[]> {
  readonly name: string;
  readonly doc: string;
  readonly columns: C;
}

export interface TableFiles {
  readonly parquet: string;
  readonly csv: string;
  readonly rows: number;
}

export function writeTable(
  dir: string,
  schema: TableSchema,
  data: Record<string, ArrayLike<unknown>>,
): TableFiles {
  const cols = schema.columns.map((c) => data[c.name] as ArrayLike<unknown>);
  const rows = cols[0]?.length ?? 0;
  const lines = [schema.columns.map((c) => c.name).join(',')];
  for (let i = 0; i < rows; i++)
    lines.push(cols.map((col) => (col[i] === null ? '' : String(col[i]))).join(','));
  const stem = join(dir, schema.name);
  writeFileAtomic(`${stem}.csv`, `${lines.join('\n')}\n`);
  return { parquet: `${stem}.parquet`, csv: `${stem}.csv`, rows };
}
