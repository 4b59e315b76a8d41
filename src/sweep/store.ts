/**
 * The sweep store: a folder holding `sweep.json` (the spec, resolved, and its run count) and
 * `results/*.jsonl`, one record per finished run (its seeds' metric rows, or its error).
 *
 * A run's record is one line written with one append, so a run is committed whole or not at all; a
 * line cut short by a crash fails to parse and its run is simply redone. Each writer appends to its
 * own part file (local shard i/N, or the Redis collector), so copying several stores' `results/`
 * folders into one merges them. Readers key records by run: an `ok` record wins over a failure.
 */
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../store/atomic.js';
import { canonicalJson, contentHash } from './run-id.js';
import type { SweepPlan } from './spec.js';

export const STORE_FORMAT = 1;

export interface OkRecord {
  readonly run: number;
  readonly runId: string;
  readonly status: 'ok';
  readonly seeds: readonly [number, number];
  readonly metrics: readonly string[];
  /** One row per seed, values in `metrics` order; non-finite values as the strings NaN/Infinity/-Infinity. */
  readonly values: readonly (readonly (number | string)[])[];
}

export interface FailedRecord {
  readonly run: number;
  readonly runId: string;
  readonly status: 'failed';
  readonly error: string;
}

export type RunRecord = OkRecord | FailedRecord;

export interface StoreHeader {
  readonly format: number;
  readonly study: string;
  /** Hash of the resolved spec and code version: a store accepts only the sweep it was made for. */
  readonly sweepId: string;
  readonly runs: number;
  readonly params: readonly string[];
  readonly spec: unknown;
}

export function sweepId(plan: SweepPlan, code: string): string {
  return contentHash(canonicalJson({ spec: plan.spec, code }));
}

/** Creates the store (or checks an existing one holds the same sweep); nothing else is written. */
export function openStore(dir: string, plan: SweepPlan, code: string): StoreHeader {
  const header: StoreHeader = {
    format: STORE_FORMAT,
    study: plan.study.name,
    sweepId: sweepId(plan, code),
    runs: plan.runs.length,
    params: plan.params,
    spec: plan.spec,
  };
  const file = join(dir, 'sweep.json');
  if (existsSync(file)) {
    const old = readHeader(dir);
    if (old.sweepId !== header.sweepId)
      throw new UsageError(
        `--out: ${dir} holds another sweep (id ${old.sweepId}, this spec is ${header.sweepId}); use a new folder`,
      );
    return old;
  }
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new UsageError(`--out: ${dir} is not a directory`);
  mkdirSync(join(dir, 'results'), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify(header, null, 2)}\n`);
  return header;
}

export function readHeader(dir: string): StoreHeader {
  const file = join(dir, 'sweep.json');
  if (!existsSync(file)) throw new UsageError(`${dir}: not a sweep store (no sweep.json)`);
  const h = JSON.parse(readFileSync(file, 'utf8')) as StoreHeader;
  if (h.format !== STORE_FORMAT)
    throw new UsageError(`${dir}: store format ${h.format}, expected ${STORE_FORMAT}`);
  return h;
}

const encode = (v: number): number | string => (Number.isFinite(v) ? v : String(v));
export const decodeValue = (v: number | string): number => (typeof v === 'number' ? v : Number(v));

/** The record line of a finished run. */
export function okRecord(
  run: number,
  runId: string,
  seeds: readonly [number, number],
  metrics: readonly string[],
  rows: readonly ArrayLike<number>[],
): OkRecord {
  return { run, runId, status: 'ok', seeds, metrics, values: rows.map((r) => Array.from(r, encode)) };
}

/** Appends whole records to one part file of the store. */
export class PartWriter {
  private readonly fd: number;

  constructor(dir: string, part: string) {
    const file = join(dir, 'results', `${part}.jsonl`);
    mkdirSync(join(dir, 'results'), { recursive: true });
    // A crash mid-line leaves a fragment: end it, so the next record starts on its own line.
    const fresh = !existsSync(file) || statSync(file).size === 0;
    this.fd = openSync(file, 'a+');
    if (!fresh) {
      const last = Buffer.alloc(1);
      readSync(this.fd, last, 0, 1, statSync(file).size - 1);
      if (last[0] !== 0x0a) writeSync(this.fd, '\n');
    }
  }

  append(record: RunRecord): void {
    const bytes = Buffer.from(`${JSON.stringify(record)}\n`);
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Streams every complete record of the store, part files in name order, lines in file order. */
export async function* readRecords(dir: string): AsyncGenerator<RunRecord> {
  const resultsDir = join(dir, 'results');
  if (!existsSync(resultsDir)) return;
  const parts = readdirSync(resultsDir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  for (const part of parts) {
    const lines = createInterface({ input: createReadStream(join(resultsDir, part)), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line) continue;
      let rec: RunRecord;
      try {
        rec = JSON.parse(line) as RunRecord;
      } catch {
        continue; // a fragment left by a crash: that run is redone
      }
      yield rec;
    }
  }
}

export interface StoreState {
  /** runId → run index of runs with an ok record. */
  readonly done: Map<string, number>;
  /** runId → error of runs whose only records are failures. */
  readonly failed: Map<string, { run: number; error: string }>;
}

/** Which runs are finished and which failed (failures are retried by the next `sweep run`). */
export async function storeState(dir: string): Promise<StoreState> {
  const done = new Map<string, number>();
  const failed = new Map<string, { run: number; error: string }>();
  for await (const r of readRecords(dir)) {
    if (r.status === 'ok') {
      done.set(r.runId, r.run);
      failed.delete(r.runId);
    } else if (!done.has(r.runId)) failed.set(r.runId, { run: r.run, error: r.error });
  }
  return { done, failed };
}
