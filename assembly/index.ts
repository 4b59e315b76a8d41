// One WASM module for every study: the kernels, their layout constants, and the allocator.
export * from './rng';
export * from './lq/params';
export * from './lq/model-free';
export * from './lq/model-based';
export * from './lq/model-free-x2';
export * from './lq/model-based-x2';
export * from './lob/layout';
export * from './lob/episodes';
export * from './lob/entry';
export * from './execution/qlearn';
export * from './qknn/knn';
export * from './qknn/enumerate';
export * from './lob/vector-env';
export * from './lq/vector-env';
export * from './execution/vector-env';

/** Bump allocation of `bytes` (8-byte aligned); buffers live as long as the instance. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}
