import { describe, expect, it } from 'vitest';
import { BUILDS, instance } from '../support/builds.js';
import { chiSquare, chiSquareCritical001, normalCdf } from '../support/chi-square.js';

// 2·10⁶ ziggurat normals from a fixed key: moments within 4 standard errors, and a chi-square test on
// 200 bins (equal width on [−5, 5], ~4 % of draws beyond the ziggurat's base layer edge test the
// tail and wedge paths) below the 0.1 % critical value.
const N = 2_000_000;

describe.each(BUILDS)('ziggurat normals (%s build)', (build) => {
  it('have the moments and bin frequencies of N(0, 1)', async () => {
    const k = await instance(build);
    const st = k.exports.alloc(32);
    const out = k.allocF64(N);
    k.exports.seedStream(st, 20261123n);
    k.exports.fillNormal(st, k.zig, out, N);
    const x = k.f64(out, N).slice();
    let m1 = 0,
      m2 = 0,
      m3 = 0,
      m4 = 0;
    for (const v of x) {
      m1 += v;
      m2 += v * v;
      m3 += v ** 3;
      m4 += v ** 4;
    }
    m1 /= N;
    m2 /= N;
    m3 /= N;
    m4 /= N;
    // sd of the sample moments of N(0,1): 1, √2, √15, √96 over √N
    expect(Math.abs(m1)).toBeLessThan((4 * 1) / Math.sqrt(N));
    expect(Math.abs(m2 - 1)).toBeLessThan((4 * Math.SQRT2) / Math.sqrt(N));
    expect(Math.abs(m3)).toBeLessThan((4 * Math.sqrt(15)) / Math.sqrt(N));
    expect(Math.abs(m4 - 3)).toBeLessThan((4 * Math.sqrt(96)) / Math.sqrt(N));
    const edges = Array.from({ length: 199 }, (_, i) => -5 + (10 * (i + 1)) / 200);
    expect(chiSquare(x, edges, normalCdf)).toBeLessThan(chiSquareCritical001(199));
    // the tail beyond the ziggurat base (r = 3.654) is drawn by the slow path: its mass must match too
    const tail = x.filter((v) => Math.abs(v) > 3.6541528853610088).length / N;
    const p = 2 * (1 - normalCdf(3.6541528853610088));
    expect(Math.abs(tail - p)).toBeLessThan(4 * Math.sqrt(p / N));
  });
});
