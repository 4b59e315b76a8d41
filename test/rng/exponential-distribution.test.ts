import { describe, expect, it } from 'vitest';
import { BUILDS, instance } from '../support/builds.js';
import { chiSquare, chiSquareCritical001, exponentialCdf } from '../support/chi-square.js';

// 2·10⁶ ziggurat exponentials from a fixed key: mean and variance within 4 standard errors, chi-square on
// 150 bins over [0, 12] below the 0.1 % critical value, and the tail beyond r = 7.697 with its mass.
const N = 2_000_000;

describe.each(BUILDS)('ziggurat exponentials (%s build)', (build) => {
  it('have the moments and bin frequencies of Exp(1)', async () => {
    const k = await instance(build);
    const st = k.exports.alloc(32);
    const out = k.allocF64(N);
    k.exports.seedStream(st, 777n);
    k.exports.fillExp(st, k.zig, out, N);
    const x = k.f64(out, N).slice();
    let m1 = 0,
      m2 = 0,
      min = Infinity;
    for (const v of x) {
      m1 += v;
      m2 += v * v;
      min = Math.min(min, v);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    m1 /= N;
    m2 /= N;
    expect(Math.abs(m1 - 1)).toBeLessThan(4 / Math.sqrt(N)); // Var = 1
    expect(Math.abs(m2 - 2)).toBeLessThan((4 * Math.sqrt(20)) / Math.sqrt(N)); // Var(X²) = 24 − 4
    const edges = Array.from({ length: 149 }, (_, i) => (12 * (i + 1)) / 150);
    expect(chiSquare(x, edges, exponentialCdf)).toBeLessThan(chiSquareCritical001(149));
    const r = 7.69711747013104972;
    const tail = x.filter((v) => v > r).length / N;
    expect(Math.abs(tail - Math.exp(-r))).toBeLessThan(4 * Math.sqrt(Math.exp(-r) / N));
  });
});
