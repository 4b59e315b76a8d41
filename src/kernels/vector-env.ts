/**
 * Host side of the vector-environment kernels (assembly/{lob,lq,execution}/vector-env.ts): one instance
 * per vector env, every buffer allocated once, then typed views over them that stay valid (no later
 * allocation grows the memory). Descriptor slots are read from the module's exported constants.
 */
import type { Kernels } from './wasm.js';

interface VectorExports {
  lobVecReset(desc: number, base: bigint, num: number): void;
  lobVecStep(desc: number, base: bigint, num: number): number;
  lqVecReset(desc: number, base: bigint, num: number): void;
  lqVecStep(desc: number, base: bigint, num: number): number;
  execVecReset(desc: number, num: number): void;
  execVecStep(desc: number, num: number): number;
}

export type VectorKernelKind = 'lob' | 'lq' | 'exec';

/** One buffer of the descriptor: its slot constant, and either its size in bytes or data to copy in. */
export interface BufferSpec {
  readonly slot: string;
  readonly bytes?: number;
  readonly data?: Int32Array | Float64Array | BigUint64Array;
}

/** Allocates the buffers, fills the descriptor and returns their pointers by slot name. */
export class VectorKernel {
  readonly desc: number;
  private readonly ptrs = new Map<string, number>();
  private readonly x: VectorExports;

  constructor(
    readonly k: Kernels,
    readonly kind: VectorKernelKind,
    buffers: readonly BufferSpec[],
  ) {
    this.x = k.exports as unknown as VectorExports;
    const prefix = { lob: 'LOBV', lq: 'LQV', exec: 'EXV' }[kind];
    const slots = k.constant(`${prefix}_DESC_SLOTS`);
    this.desc = k.exports.alloc(slots * 4);
    for (const b of buffers) {
      const bytes = b.data ? b.data.byteLength : (b.bytes as number);
      this.ptrs.set(b.slot, k.exports.alloc(Math.max(8, bytes)));
    }
    const mem = () => k.exports.memory.buffer;
    const desc = new Int32Array(mem(), this.desc, slots);
    for (const b of buffers) {
      const p = this.ptrs.get(b.slot) as number;
      desc[k.constant(`${prefix}_D_${b.slot}`)] = p;
      if (b.data instanceof Int32Array) new Int32Array(mem(), p, b.data.length).set(b.data);
      else if (b.data instanceof Float64Array) new Float64Array(mem(), p, b.data.length).set(b.data);
      else if (b.data instanceof BigUint64Array) new BigUint64Array(mem(), p, b.data.length).set(b.data);
    }
  }

  /** The address of a buffer allocated by this constructor. */
  ptr(slot: string): number {
    const p = this.ptrs.get(slot);
    if (p === undefined) throw new Error(`vector kernel: no buffer ${slot}`);
    return p;
  }

  /** Points a descriptor slot at an existing block (the instance's ziggurat tables). */
  point(slot: string, address: number): void {
    const prefix = { lob: 'LOBV', lq: 'LQV', exec: 'EXV' }[this.kind];
    new Int32Array(this.k.exports.memory.buffer, this.desc, this.k.constant(`${prefix}_DESC_SLOTS`))[
      this.k.constant(`${prefix}_D_${slot}`)
    ] = address;
  }

  f64(slot: string, n: number): Float64Array {
    return new Float64Array(this.k.exports.memory.buffer, this.ptr(slot), n);
  }

  i32(slot: string, n: number): Int32Array {
    return new Int32Array(this.k.exports.memory.buffer, this.ptr(slot), n);
  }

  u8(slot: string, n: number): Uint8Array {
    return new Uint8Array(this.k.exports.memory.buffer, this.ptr(slot), n);
  }

  u64(slot: string, n: number): BigUint64Array {
    return new BigUint64Array(this.k.exports.memory.buffer, this.ptr(slot), n);
  }

  reset(base: bigint, num: number): void {
    if (this.kind === 'lob') this.x.lobVecReset(this.desc, base, num);
    else if (this.kind === 'lq') this.x.lqVecReset(this.desc, base, num);
    else this.x.execVecReset(this.desc, num);
  }

  /** Status: 0 ok, n > 0 bad actions (indices in BAD), −(i + 1) a numeric failure in env i. */
  step(base: bigint, num: number): number {
    if (this.kind === 'lob') return this.x.lobVecStep(this.desc, base, num);
    if (this.kind === 'lq') return this.x.lqVecStep(this.desc, base, num);
    return this.x.execVecStep(this.desc, num);
  }
}
