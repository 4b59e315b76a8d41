import { describe, expect, it } from 'vitest';
import { nextWord, OUT_HI, OUT_LO, streamFromKey, wordToBigInt } from '../../src/baseline/rng.js';
import { splitmix64, xoshiroState } from '../../src/rng/streams.js';
import { BUILDS, instance } from '../support/builds.js';

// Published vectors: SplitMix64 seeded with 1234567 (Vigna's splitmix64.c) and xoshiro256** from the
// state {1, 2, 3, 4} (the reference xoshiro256starstar.c, as in rand_xoshiro's test).
const SPLITMIX_1234567 = [
  6457827717110365317n,
  3203168211198807973n,
  9817491932198370423n,
  4593380528125082431n,
  16408922859458223821n,
];
const XOSHIRO_1234 = [
  11520n,
  0n,
  1509978240n,
  1215971899390074240n,
  1216172134540287360n,
  607988272756665600n,
  16172922978634559625n,
  8476171486693032832n,
  10595114339597558777n,
  2904607092377533576n,
];
const G = 0x9e3779b97f4a7c15n;
const M = (1n << 64n) - 1n;

describe('splitmix64 (host)', () => {
  it('reproduces the published sequence for seed 1234567', () => {
    const out = SPLITMIX_1234567.map((_, i) => splitmix64((1234567n + BigInt(i) * G) & M));
    expect(out).toEqual(SPLITMIX_1234567);
  });
});

describe.each(BUILDS)('WASM rng (%s build)', (build) => {
  it('seeds xoshiro state with the first four splitmix64 outputs of the key', async () => {
    const k = await instance(build);
    const st = k.exports.alloc(32);
    k.exports.seedStream(st, 1234567n);
    expect(Array.from(k.u64(st, 4))).toEqual(SPLITMIX_1234567.slice(0, 4));
    expect(Array.from(xoshiroState(1234567n))).toEqual(SPLITMIX_1234567.slice(0, 4));
  });

  it('reproduces the xoshiro256** reference outputs from state {1,2,3,4}', async () => {
    const k = await instance(build);
    const st = k.exports.alloc(32);
    const out = k.exports.alloc(8 * XOSHIRO_1234.length);
    k.u64(st, 4).set([1n, 2n, 3n, 4n]);
    k.exports.fillU64(st, out, XOSHIRO_1234.length);
    expect(Array.from(k.u64(out, XOSHIRO_1234.length))).toEqual(XOSHIRO_1234);
  });
});

describe('TS twin rng', () => {
  it('reproduces the xoshiro256** reference outputs on int32 pairs', () => {
    const st = new Int32Array(10);
    [1, 2, 3, 4].forEach((w, i) => {
      st[2 * i + 1] = w;
    });
    const out = XOSHIRO_1234.map(() => {
      nextWord(st);
      return wordToBigInt(st[OUT_HI] as number, st[OUT_LO] as number);
    });
    expect(out).toEqual(XOSHIRO_1234);
  });

  it('seeds the same state words as the kernel', () => {
    const st = streamFromKey(1234567n);
    const words = [0, 1, 2, 3].map((i) => wordToBigInt(st[2 * i] as number, st[2 * i + 1] as number));
    expect(words).toEqual(SPLITMIX_1234567.slice(0, 4));
  });
});
