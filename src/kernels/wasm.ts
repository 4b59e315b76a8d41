/**
 * Loads the compiled kernels (build/release.wasm or build/debug.wasm), compiles the module once per
 * process and wraps an instance with typed views over the pointer ABI. Layout constants are read from
 * the module's exports, never restated here.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import { type ZigguratTables, zigguratTables } from '../rng/ziggurat.js';

export type Build = 'release' | 'debug';

/** Raw exports shared by every study (i64 arguments cross as bigint); studies extend this in src/kernels/<study>.ts. */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  seedStream(st: number, key: bigint): void;
  fillU64(st: number, out: number, n: number): void;
  fillNormal(st: number, zig: number, out: number, n: number): void;
  fillExp(st: number, zig: number, out: number, n: number): void;
  readonly [name: string]: unknown;
}

const modules = new Map<Build, Promise<WebAssembly.Module>>();

/** Path of a compiled build. */
export function wasmFile(build: Build): string {
  return join(packageRoot(), 'build', `${build}.wasm`);
}

/** Compiles a build once per process (later calls share the promise). */
export function compileKernels(build: Build = 'release'): Promise<WebAssembly.Module> {
  let mod = modules.get(build);
  if (!mod) {
    mod = readFile(wasmFile(build)).then(
      (bytes) => WebAssembly.compile(bytes),
      (err: unknown) => {
        throw new Error(
          `quantrl: cannot read ${wasmFile(build)}; run \`npm run asbuild\` first (${String(err)})`,
        );
      },
    );
    modules.set(build, mod);
  }
  return mod;
}

/** A kernel instance: its exports, memory views and the ziggurat tables already in memory. */
export class Kernels {
  readonly exports: KernelExports;
  /** Pointer to the ziggurat table block. */
  readonly zig: number;

  constructor(readonly module: WebAssembly.Module) {
    let memory: WebAssembly.Memory | undefined;
    const instance = new WebAssembly.Instance(module, {
      env: {
        abort(msg: number, file: number, line: number, col: number) {
          const text = (ptr: number) => (memory && ptr ? readAsString(memory, ptr) : '?');
          throw new Error(`wasm abort: ${text(msg)} at ${text(file)}:${line}:${col}`);
        },
        // the host's e^x and e^x − 1, for kernels whose TS twin calls them (the module's own differ
        // from V8's in the last bit on some inputs): the Qknn enumeration's quantizer cells
        'Math.exp': Math.exp,
        'Math.expm1': Math.expm1,
      },
    });
    this.exports = instance.exports as unknown as KernelExports;
    memory = this.exports.memory;
    this.zig = this.exports.alloc(this.constant('ZIG_BYTES'));
    writeZiggurat(this, zigguratTables());
  }

  /** An exported i32 layout constant. */
  constant(name: string): number {
    const g = this.exports[name];
    if (!(g instanceof WebAssembly.Global))
      throw new Error(`quantrl: kernel constant ${name} is not exported`);
    return g.value as number;
  }

  /** Allocates n f64 and returns the pointer (views must be taken after the last allocation). */
  allocF64(n: number): number {
    return this.exports.alloc(n * 8);
  }

  f64(ptr: number, n: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, ptr, n);
  }

  u64(ptr: number, n: number): BigUint64Array {
    return new BigUint64Array(this.exports.memory.buffer, ptr, n);
  }
}

function writeZiggurat(k: Kernels, t: ZigguratTables): void {
  const put = (offset: string, src: Float64Array, asInt: boolean) => {
    const ptr = k.zig + k.constant(offset);
    if (asInt) k.u64(ptr, 256).set(Array.from(src, (v) => BigInt(v)));
    else k.f64(ptr, 256).set(src);
  };
  put('ZIG_KI', t.ki, true);
  put('ZIG_WI', t.wi, false);
  put('ZIG_FI', t.fi, false);
  put('ZIG_KE', t.ke, true);
  put('ZIG_WE', t.we, false);
  put('ZIG_FE', t.fe, false);
}

/** Decodes an AssemblyScript string (UTF-16, byte length stored just before it). */
function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0] ?? 0;
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}
