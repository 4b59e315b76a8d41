import { describe, expect, it } from 'vitest';
import {
  nextExp,
  nextNormal,
  nextWord,
  OUT_HI,
  OUT_LO,
  streamFromKey,
  wordToBigInt,
} from '../../src/baseline/rng.js';
import { zigguratTables } from '../../src/rng/ziggurat.js';
import { BUILDS, instance } from '../support/builds.js';

// The TS twin must draw the kernel's stream exactly: raw words, normals (incl. wedge and tail draws)
// and exponentials, bit for bit.
const N = 300_000;
const KEY = 0xdeadbeefcafef00dn;

describe.each(BUILDS)('TS twin vs WASM stream (%s build)', (build) => {
  it('yields identical words, normals and exponentials', async () => {
    const k = await instance(build);
    const st = k.exports.alloc(32);
    const out = k.allocF64(N);
    const z = zigguratTables();

    k.exports.seedStream(st, KEY);
    k.exports.fillU64(st, out, 1000);
    const words = Array.from(k.u64(out, 1000));
    const js = streamFromKey(KEY);
    const jsWords = words.map(() => {
      nextWord(js);
      return wordToBigInt(js[OUT_HI] as number, js[OUT_LO] as number);
    });
    expect(jsWords).toEqual(words);

    k.exports.seedStream(st, KEY);
    k.exports.fillNormal(st, k.zig, out, N);
    const normals = k.f64(out, N).slice();
    const jsn = streamFromKey(KEY);
    let mismatches = 0;
    for (let i = 0; i < N; i++) if (nextNormal(jsn, z) !== normals[i]) mismatches++;
    expect(mismatches).toBe(0);

    k.exports.seedStream(st, KEY);
    k.exports.fillExp(st, k.zig, out, N);
    const exps = k.f64(out, N).slice();
    const jse = streamFromKey(KEY);
    mismatches = 0;
    for (let i = 0; i < N; i++) if (nextExp(jse, z) !== exps[i]) mismatches++;
    expect(mismatches).toBe(0);
  });
});
