/** Both WASM builds for describe.each: the checked debug build justifies the unchecked release one. */
import { type Build, compileKernels, Kernels } from '../../src/kernels/wasm.js';

export const BUILDS: readonly Build[] = ['debug', 'release'];

/** A fresh instance of a build (the module is compiled once per process). */
export async function instance(build: Build): Promise<Kernels> {
  return new Kernels(await compileKernels(build));
}
