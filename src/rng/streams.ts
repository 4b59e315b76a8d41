/**
 * Stream keys: every replication's random stream is a pure function of
 * (experiment id, run index, seed index), never of worker, order or clock.
 * key = splitmix64(splitmix64(splitmix64(fnv1a64(experiment)) ^ run) ^ seed).
 */

const MASK64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

/** One splitmix64 output for counter value z (the golden gamma is added first). */
export function splitmix64(z: bigint): bigint {
  let v = (z + GOLDEN_GAMMA) & MASK64;
  v = ((v ^ (v >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  v = ((v ^ (v >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return v ^ (v >> 31n);
}

/** FNV-1a 64-bit hash of a string's UTF-8 bytes: the experiment id. */
export function fnv1a64(text: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    h = ((h ^ BigInt(byte)) * 0x100000001b3n) & MASK64;
  }
  return h;
}

/** The base of a run's stream family: seed s's key is splitmix64(base ^ s) = streamKey(experiment, run, s). */
export function streamBase(experiment: string, run: number): bigint {
  return splitmix64(splitmix64(fnv1a64(experiment)) ^ BigInt(run));
}

/** The stream key of one replication. */
export function streamKey(experiment: string, run: number, seed: number): bigint {
  return splitmix64(streamBase(experiment, run) ^ BigInt(seed));
}

/** A named sub-stream of a stream key (e.g. a run's evaluation episodes next to its training). */
export function childKey(key: bigint, label: string): bigint {
  return splitmix64(key ^ fnv1a64(label));
}

/** xoshiro256** state words from a key: state[i] = splitmix64(key + i·γ). */
export function xoshiroState(key: bigint): BigUint64Array {
  const state = new BigUint64Array(4);
  for (let i = 0; i < 4; i++) state[i] = splitmix64((key + BigInt(i) * GOLDEN_GAMMA) & MASK64);
  return state;
}
