/**
 * NumPy .npy v1.0 files: `\x93NUMPY`, version 1 0, u16 LE header length, the header dict padded with
 * spaces so the preamble is a multiple of 64 bytes and ends in '\n', then little-endian C-order data.
 * Read with numpy.load, or polars/duckdb via numpy.
 */
import { AtomicFile } from './atomic.js';

export type NpyArray = Float64Array | Int32Array | Float32Array | BigInt64Array;

function descr(a: NpyArray): string {
  if (a instanceof Float64Array) return '<f8';
  if (a instanceof Float32Array) return '<f4';
  if (a instanceof Int32Array) return '<i4';
  return '<i8';
}

/** The .npy preamble for an array of the given dtype and shape. */
export function npyHeader(dtype: string, shape: readonly number[]): Uint8Array {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${dims}, }`;
  const unpadded = 10 + dict.length + 1;
  dict += ' '.repeat((64 - (unpadded % 64)) % 64);
  dict += '\n';
  const out = new Uint8Array(10 + dict.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, dict.length, true);
  out.set(Buffer.from(dict, 'latin1'), 10);
  return out;
}

function bytesOf(a: NpyArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Writes a whole array (row-major data of the given shape) atomically. */
export function writeNpy(path: string, data: NpyArray, shape: readonly number[] = [data.length]): void {
  const f = new AtomicFile(path);
  try {
    f.write(npyHeader(descr(data), shape));
    f.write(bytesOf(data));
    f.commit();
  } catch (err) {
    f.abort();
    throw err;
  }
}

/** Streams rows of a (rows × cols) f64 array into a .npy file; commit() renames it into place. */
export class NpyRowWriter {
  private readonly file: AtomicFile;
  private rows = 0;

  constructor(
    path: string,
    private readonly shape: readonly [number, number],
  ) {
    this.file = new AtomicFile(path);
    this.file.write(npyHeader('<f8', shape));
  }

  append(row: Float64Array): void {
    if (row.length !== this.shape[1]) throw new Error(`npy row of ${row.length}, expected ${this.shape[1]}`);
    this.file.write(bytesOf(row));
    this.rows++;
  }

  commit(): void {
    if (this.rows !== this.shape[0]) throw new Error(`npy has ${this.rows} rows, expected ${this.shape[0]}`);
    this.file.commit();
  }

  abort(): void {
    this.file.abort();
  }
}

/** Reads a .npy written by this module (tests and tools). */
export function readNpy(bytes: Uint8Array): { dtype: string; shape: number[]; data: NpyArray } {
  const headerLen = new DataView(bytes.buffer, bytes.byteOffset).getUint16(8, true);
  const header = Buffer.from(bytes.subarray(10, 10 + headerLen)).toString('latin1');
  const dtype = /'descr': '([^']+)'/.exec(header)?.[1] ?? '';
  const shape = (/'shape': \(([^)]*)\)/.exec(header)?.[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const body = new Uint8Array(bytes.subarray(10 + headerLen)); // a copy: Buffer.slice would share its pool
  const data =
    dtype === '<f8'
      ? new Float64Array(body.buffer)
      : dtype === '<f4'
        ? new Float32Array(body.buffer)
        : dtype === '<i4'
          ? new Int32Array(body.buffer)
          : new BigInt64Array(body.buffer);
  return { dtype, shape, data };
}
