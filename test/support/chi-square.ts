/** Chi-square goodness of fit against a continuous law, for the RNG distribution tests. */

/** erfc with relative error < 1.2e-7 (Numerical Recipes' erfcc): ample for expected bin counts. */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export const normalCdf = (x: number) => 0.5 * erfc(-x / Math.SQRT2);
export const exponentialCdf = (x: number) => (x <= 0 ? 0 : -Math.expm1(-x));

/** Pearson statistic of `samples` in bins with the given inner edges (two open tails added). */
export function chiSquare(
  samples: Float64Array,
  edges: readonly number[],
  cdf: (x: number) => number,
): number {
  const counts = new Float64Array(edges.length + 1);
  for (const x of samples) {
    let lo = 0,
      hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x < (edges[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    counts[lo] = (counts[lo] as number) + 1;
  }
  let stat = 0;
  for (let b = 0; b <= edges.length; b++) {
    const p =
      (b === edges.length ? 1 : cdf(edges[b] as number)) - (b === 0 ? 0 : cdf(edges[b - 1] as number));
    const expected = p * samples.length;
    stat += ((counts[b] as number) - expected) ** 2 / expected;
  }
  return stat;
}

/** Upper 0.1 % point of χ²(df) by the Wilson–Hilferty approximation (good to <1 % for df > 30). */
export function chiSquareCritical001(df: number): number {
  const z = 3.090232306167813;
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}
