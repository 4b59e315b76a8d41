/** Small statistics used by the study drivers and reports. */

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s / xs.length;
}

/** Sample standard deviation (n − 1 in the denominator). */
export function sampleSd(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += ((xs[i] as number) - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/** Quantile with linear interpolation between order statistics (numpy's default). */
export function quantile(xs: ArrayLike<number>, q: number): number {
  return quantiles(xs, [q])[0] as number;
}

/** Several quantiles of one sample, sorting it once. */
export function quantiles(xs: ArrayLike<number>, qs: readonly number[]): number[] {
  const sorted = Float64Array.from(xs).sort();
  return qs.map((q) => {
    const pos = q * (sorted.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, sorted.length - 1);
    return (sorted[lo] as number) + (pos - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
  });
}

export interface LineFit {
  readonly slope: number;
  readonly intercept: number;
  /** Standard error of the slope (OLS, i.i.d. residuals assumed). */
  readonly slopeSe: number;
  /** 95 % confidence interval of the slope. */
  readonly slopeCi95: readonly [number, number];
  readonly points: number;
}

/**
 * Two-sided 97.5 % Student-t quantile: exact closed forms for ν = 1, 2 (Cauchy; t₂'s quantile
 * (2p−1)/√(2p(1−p))), the Cornish–Fisher expansion beyond (exact to ~1e-3 for ν ≥ 3).
 */
export function t975(nu: number): number {
  if (nu === 1) return Math.tan(Math.PI * 0.475);
  if (nu === 2) return 0.95 / Math.sqrt(2 * 0.975 * 0.025);
  const z = 1.959963984540054;
  const z3 = z ** 3,
    z5 = z ** 5,
    z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * nu) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * nu ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * nu ** 3)
  );
}

/** Ordinary least squares of y on x (as scipy's linregress), with the slope's 95 % CI. */
export function fitLine(x: ArrayLike<number>, y: ArrayLike<number>): LineFit {
  const n = x.length;
  if (n < 3 || y.length !== n) throw new Error(`fitLine needs ≥ 3 paired points, got ${n}`);
  const mx = mean(x),
    my = mean(y);
  let sxx = 0,
    sxy = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx,
      dy = (y[i] as number) - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxy / sxx;
  const rss = Math.max(0, syy - slope * sxy);
  const slopeSe = Math.sqrt(rss / (n - 2) / sxx);
  const h = t975(n - 2) * slopeSe;
  return { slope, intercept: my - slope * mx, slopeSe, slopeCi95: [slope - h, slope + h], points: n };
}

function ranks(v: readonly number[]): number[] {
  const idx = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(v.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (
      j + 1 < idx.length &&
      (idx[j + 1] as readonly [number, number])[0] === (idx[i] as readonly [number, number])[0]
    )
      j++;
    for (let k = i; k <= j; k++) r[(idx[k] as readonly [number, number])[1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** Spearman rank correlation (ties get their mean rank). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  const rx = ranks(x),
    ry = ranks(y);
  const n = x.length;
  const m = (n + 1) / 2;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    const a = (rx[i] as number) - m,
      b = (ry[i] as number) - m;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}
