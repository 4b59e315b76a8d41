/** Reads tables back with DuckDB, a reader from another ecosystem than the writer's. */
import { DuckDBInstance } from '@duckdb/node-api';

/** Runs one SQL query in a fresh in-memory database and returns its rows as plain JS objects. */
export async function duckdbRows(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const reader = await conn.runAndReadAll(sql);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** A path quoted as a SQL string literal. */
export const sqlPath = (p: string) => `'${p.replaceAll("'", "''")}'`;
