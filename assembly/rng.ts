// Random streams for every kernel: splitmix64 seeding, xoshiro256** words, and numpy-layout
// 256-layer ziggurats for N(0,1) and Exp(1).
//
// Hot loops keep the four xoshiro words in their own locals (AS has no by-reference locals), so
// the generator update is written inline there; the helpers here take a random *word*, not the
// generator. Only the rare slow paths read the generator from memory: a kernel spills its state to
// `st`, calls the cold function, and reloads.
//
// Ziggurat tables are computed once on the host (src/rng/ziggurat.ts) and copied into memory at a
// `zig` block, so the WASM kernels and the TS twins read the very same numbers.

// ---- table layout of the `zig` block (byte offsets); the host reads these exports ----
export const ZIG_KI: i32 = 0; // u64[256]  normal acceptance thresholds on the 52-bit uniform
export const ZIG_WI: i32 = 256 * 8; // f64[256]  normal layer widths / 2^52
export const ZIG_FI: i32 = 512 * 8; // f64[256]  normal density at layer edges
export const ZIG_KE: i32 = 768 * 8; // u64[256]  exponential thresholds on the 53-bit uniform
export const ZIG_WE: i32 = 1024 * 8; // f64[256]
export const ZIG_FE: i32 = 1280 * 8; // f64[256]
export const ZIG_BYTES: i32 = 1536 * 8;

// Marsaglia–Tsang constants of the 256-layer tables (numpy's values).
const NOR_R: f64 = 3.6541528853610088;
const NOR_INV_R: f64 = 0.27366123732975828;
const EXP_R: f64 = 7.69711747013104972;
const MASK52: u64 = 0xfffffffffffff;
const TWO_M53: f64 = 1.0 / 9007199254740992.0;

/** One splitmix64 output for the counter value `z` (the state is advanced by the golden gamma first). */
// @ts-ignore: decorator
@inline export function splitmix64(z: u64): u64 {
  z += 0x9e3779b97f4a7c15;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

/** Fills the 4-word xoshiro256** state at `st` from one 64-bit stream key. */
export function seedStream(st: usize, key: u64): void {
  const g: u64 = 0x9e3779b97f4a7c15;
  store<u64>(st, splitmix64(key));
  store<u64>(st, splitmix64(key + g), 8);
  store<u64>(st, splitmix64(key + 2 * g), 16);
  store<u64>(st, splitmix64(key + 3 * g), 24);
}

/** xoshiro256** from memory state: for cold paths and non-hot callers only. */
export function nextU64(st: usize): u64 {
  let s0 = load<u64>(st), s1 = load<u64>(st, 8), s2 = load<u64>(st, 16), s3 = load<u64>(st, 24);
  const out = rotl<u64>(s1 * 5, 7) * 9;
  const t = s1 << 17;
  s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl<u64>(s3, 45);
  store<u64>(st, s0); store<u64>(st, s1, 8); store<u64>(st, s2, 16); store<u64>(st, s3, 24);
  return out;
}

/** Uniform on [0, 1) with 53 bits, as numpy's next_double. */
// @ts-ignore: decorator
@inline export function wordToUnit(u: u64): f64 {
  // Converted as signed (exact either way below 2^53): the unsigned conversion costs a branch in V8.
  return <f64><i64>(u >> 11) * TWO_M53;
}

/**
 * Normal fast path from one word: byte 0 picks the layer, bit 8 the sign, bits 9..60 the uniform.
 * The sign is applied branch-free on the integer ((r ^ -s) + s negates when s = 1).
 * Returns NaN when the draw falls outside the layer's rectangle (≈1.2 %): call normalSlow.
 */
// @ts-ignore: decorator
@inline export function normalFast(u: u64, zig: usize): f64 {
  const i = <usize>(u & 0xff) << 3;
  const sg = <i64>((u >> 8) & 1);
  const r = <i64>((u >> 9) & MASK52);
  const x = <f64>((r ^ -sg) + sg) * load<f64>(zig + ZIG_WI + i);
  return r < load<i64>(zig + ZIG_KI + i) ? x : NaN;
}

/** Normal slow path: wedge test or tail for the rejected word `u`, then fresh words from `st`. */
export function normalSlow(st: usize, u: u64, zig: usize): f64 {
  while (true) {
    const idx = <usize>(u & 0xff);
    const i = idx << 3;
    const rabs = (u >> 9) & MASK52;
    let x = <f64>rabs * load<f64>(zig + ZIG_WI + i);
    if ((u >> 8) & 1) x = -x;
    if (rabs < load<u64>(zig + ZIG_KI + i)) return x;
    if (idx == 0) {
      // Tail beyond R (Marsaglia): two uniforms per attempt, sign from bit 8 of the uniform.
      while (true) {
        const xx = -NOR_INV_R * Math.log1p(-wordToUnit(nextU64(st)));
        const yy = -Math.log1p(-wordToUnit(nextU64(st)));
        if (yy + yy > xx * xx) return (rabs >> 8) & 1 ? -(NOR_R + xx) : NOR_R + xx;
      }
    }
    const fHi = load<f64>(zig + ZIG_FI + i - 8), fLo = load<f64>(zig + ZIG_FI + i);
    if ((fHi - fLo) * wordToUnit(nextU64(st)) + fLo < Math.exp(-0.5 * x * x)) return x;
    u = nextU64(st);
  }
  return NaN; // unreachable
}

/** Exponential fast path: bits 3..10 pick the layer, bits 11..63 the uniform; NaN → expSlow. */
// @ts-ignore: decorator
@inline export function expFast(u: u64, zig: usize): f64 {
  const i = <usize>((u >> 3) & 0xff) << 3;
  const r = u >> 11;
  return r < load<u64>(zig + ZIG_KE + i) ? <f64><i64>r * load<f64>(zig + ZIG_WE + i) : NaN;
}

/** Exponential slow path for the rejected word `u`. */
export function expSlow(st: usize, u: u64, zig: usize): f64 {
  while (true) {
    const idx = <usize>((u >> 3) & 0xff);
    const i = idx << 3;
    const r = u >> 11;
    const x = <f64>r * load<f64>(zig + ZIG_WE + i);
    if (r < load<u64>(zig + ZIG_KE + i)) return x;
    if (idx == 0) return EXP_R - Math.log1p(-wordToUnit(nextU64(st)));
    const fHi = load<f64>(zig + ZIG_FE + i - 8), fLo = load<f64>(zig + ZIG_FE + i);
    if ((fHi - fLo) * wordToUnit(nextU64(st)) + fLo < Math.exp(-x)) return x;
    u = nextU64(st);
  }
  return NaN; // unreachable
}

/** One normal from memory state (non-hot callers). */
export function nextNormal(st: usize, zig: usize): f64 {
  const u = nextU64(st);
  const x = normalFast(u, zig);
  return isNaN(x) ? normalSlow(st, u, zig) : x;
}

/** One exponential from memory state (non-hot callers). */
export function nextExp(st: usize, zig: usize): f64 {
  const u = nextU64(st);
  const x = expFast(u, zig);
  return isNaN(x) ? expSlow(st, u, zig) : x;
}

// ---- bulk entry points, used by the tests and benchmarks of the generator itself ----

/** Writes n raw words of the stream at `st` to `out` (u64[n]). */
export function fillU64(st: usize, out: usize, n: i32): void {
  for (let k = 0; k < n; k++) store<u64>(out + (<usize>k << 3), nextU64(st));
}

/** Writes n standard normals to `out` (f64[n]). */
export function fillNormal(st: usize, zig: usize, out: usize, n: i32): void {
  for (let k = 0; k < n; k++) store<f64>(out + (<usize>k << 3), nextNormal(st, zig));
}

/** Writes n standard exponentials to `out` (f64[n]). */
export function fillExp(st: usize, zig: usize, out: usize, n: i32): void {
  for (let k = 0; k < n; k++) store<f64>(out + (<usize>k << 3), nextExp(st, zig));
}
