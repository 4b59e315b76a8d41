// Real roots of a polynomial of degree ≤ 4 using arithmetic only (no libm), so that the WASM kernel
// and its TS twin find bit-identical roots. Critical points (roots of the derivative, found the same
// way, recursively) split the line into monotone pieces; each piece with a sign change holds one root,
// refined by Newton steps kept inside the bracket (bisection when Newton leaves it). Quadratics use
// the closed form (sqrt is exact in IEEE arithmetic, so both engines agree there too).
//
// Warm starts: a caller that solves a slowly changing polynomial again and again (the plug-in
// estimator, once per episode) passes the previous roots as hints, and each level keeps its previous
// critical points in `scratch`; Newton then starts from the old root inside each bracket.
//
// Memory: `c` holds deg+1 coefficients, constant first; `scratch` needs LEVEL_BYTES per degree level
// (3 levels for a quartic), zero-filled before the first call. Roots come out ascending.

export const POLY_LEVEL_BYTES: i32 = 112;
const LEVEL_BYTES: usize = <usize>POLY_LEVEL_BYTES;
const CRIT: usize = 40; // this level's critical points (≤ 4)
const HINT: usize = 72; // their values from the previous call (≤ 4)
const N_CRIT: usize = 104; // how many there were
const MAX_REFINE: i32 = 200;
const CONVERGED: f64 = 1e-15; // relative step size at which a root is accepted

// @ts-ignore: decorator
@inline function coef(c: usize, i: i32): f64 {
  return load<f64>(c + (<usize>i << 3));
}

/** p(x) by Horner's rule. */
// @ts-ignore: decorator
@inline export function polyAt(c: usize, deg: i32, x: f64): f64 {
  let v = coef(c, deg);
  for (let i = deg - 1; i >= 0; i--) v = v * x + coef(c, i);
  return v;
}

/**
 * Copies n f64 values (a few hints: a plain loop, where memory.copy would be a call into the engine).
 */
// @ts-ignore: decorator
@inline export function copyF64(dst: usize, src: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f64>(dst + (<usize>i << 3), load<f64>(src + (<usize>i << 3)));
}

/** The first hint strictly inside (a, b), else the midpoint. */
function startIn(a: f64, b: f64, hints: usize, nHints: i32): f64 {
  for (let i = 0; i < nHints; i++) {
    const h = load<f64>(hints + (<usize>i << 3));
    if (h > a && h < b) return h;
  }
  return 0.5 * (a + b);
}

/**
 * A root of p in (a, b) where p(a)·p(b) < 0 and p is monotone; dc holds p′; deg is 3 or 4. Newton steps
 * kept inside the bracket, bisection when a step leaves it; ends when a step moves x by at most
 * CONVERGED relative.
 */
function refineRoot(c: usize, dc: usize, deg: i32, a: f64, b: f64, fa: f64, x: f64): f64 {
  return deg == 4 ? refineDeg(4, c, dc, a, b, fa, x) : refineDeg(3, c, dc, a, b, fa, x);
}

/** p(x) by Horner's rule with the coefficients in locals, as polyAt (deg 2, 3 or 4, a constant). */
// @ts-ignore: decorator
@inline function hornerAt(deg: i32, x: f64, c0: f64, c1: f64, c2: f64, c3: f64, c4: f64): f64 {
  if (deg == 4) return (((c4 * x + c3) * x + c2) * x + c1) * x + c0;
  if (deg == 3) return ((c3 * x + c2) * x + c1) * x + c0;
  return (c2 * x + c1) * x + c0;
}

// @ts-ignore: decorator
@inline function refineDeg(deg: i32, c: usize, dc: usize, a: f64, b: f64, fa: f64, x: f64): f64 {
  const c0 = coef(c, 0), c1 = coef(c, 1), c2 = coef(c, 2), c3 = coef(c, 3), c4 = deg == 4 ? coef(c, 4) : 0;
  const d0 = coef(dc, 0), d1 = coef(dc, 1), d2 = coef(dc, 2), d3 = deg == 4 ? coef(dc, 3) : 0;
  // orient the bracket so that p(neg) < 0 < p(pos)
  let neg = fa < 0 ? a : b, pos = fa < 0 ? b : a;
  let it = 0;
  while (it < MAX_REFINE) {
    const f = hornerAt(deg, x, c0, c1, c2, c3, c4);
    if (f == 0) return x;
    if (f < 0) neg = x;
    else pos = x;
    const lo = min(neg, pos), hi = max(neg, pos);
    let next = x - f / hornerAt(deg - 1, x, d0, d1, d2, d3, 0);
    const bisect = !(next > lo && next < hi); // also catches p′ = 0 (NaN / ±∞)
    if (bisect) next = 0.5 * (lo + hi);
    if (abs(next - x) <= CONVERGED * max(1.0, abs(x))) return next;
    it++;
    const nearBelow = f < 0;
    const near = x;
    x = next;
    if (!bisect) continue;
    // A bisection step at `near` usually starts a long run of them: near sits at the root to rounding
    // noise, and from the far side Newton overshoots it, so each step halves towards near. This loop
    // does exactly the step above while that holds, with what it knows hoisted: the bracket is
    // (near, x) in a fixed order (each x lies between near and the last one), so lo + hi = near + x
    // and the range test needs no min/max; p(x) needs the far end's sign. Any other step leaves to
    // the step above, at the same x. The next iterate does not wait for p(x), so the CPU overlaps
    // steps, as many as its window holds: a third fewer instructions per step than the step above.
    // With near and x finite no iterate is NaN, so max(1, |x|) below needs no NaN case.
    if (!isFinite(near) || !isFinite(x)) continue;
    const up = near < x;
    while (it < MAX_REFINE) {
      const fx = hornerAt(deg, x, c0, c1, c2, c3, c4);
      if (nearBelow ? !(fx > 0) : !(fx < 0)) {
        if (fx == 0) return x;
        break; // x on near's side
      }
      const y = x - fx / hornerAt(deg - 1, x, d0, d1, d2, d3, 0);
      if (up ? y > near && y < x : y > x && y < near) break; // a Newton step inside the bracket
      const mid = 0.5 * (near + x);
      const ax = abs(x);
      if (abs(mid - x) <= CONVERGED * (ax > 1.0 ? ax : 1.0)) return mid; // max(1, |x|): x is not NaN
      if (nearBelow) pos = x;
      else neg = x;
      x = mid;
      it++;
    }
  }
  return x;
}

/** Real roots of c0 + c1·x + c2·x² (c2 ≠ 0), ascending, by the cancellation-free formula. */
function quadraticRoots(c0: f64, c1: f64, c2: f64, out: usize): i32 {
  const disc = c1 * c1 - 4 * c2 * c0;
  if (disc < 0) return 0;
  const s = Math.sqrt(disc);
  const h = -0.5 * (c1 + (c1 >= 0 ? s : -s));
  if (h == 0) {
    store<f64>(out, 0);
    return 1;
  }
  const r1 = h / c2, r2 = c0 / h;
  store<f64>(out, min(r1, r2));
  store<f64>(out, max(r1, r2), 8);
  return 2;
}

/**
 * Real roots of the degree-`deg` polynomial at `c` into `out` (ascending); returns their count.
 * `hints` (nHints values) are previous roots used as Newton starts.
 */
export function realRoots(c: usize, deg: i32, out: usize, scratch: usize, hints: usize, nHints: i32): i32 {
  while (deg > 0 && coef(c, deg) == 0) deg--;
  if (deg <= 0) return 0;
  if (deg == 1) {
    store<f64>(out, -coef(c, 0) / coef(c, 1));
    return 1;
  }
  if (deg == 2) return quadraticRoots(coef(c, 0), coef(c, 1), coef(c, 2), out);
  const dc = scratch;
  for (let i = 1; i <= deg; i++) store<f64>(dc + (<usize>(i - 1) << 3), <f64>i * coef(c, i));
  const crit = scratch + CRIT;
  const nPrev = <i32>load<f64>(scratch + N_CRIT);
  copyF64(scratch + HINT, crit, nPrev);
  const nCrit = realRoots(dc, deg - 1, crit, scratch + LEVEL_BYTES, scratch + HINT, nPrev);
  store<f64>(scratch + N_CRIT, <f64>nCrit);
  // Cauchy bound: every root, and by Gauss–Lucas every critical point, has |x| < bound.
  let bound = 0.0;
  const lead = coef(c, deg);
  for (let i = 0; i < deg; i++) bound = max(bound, abs(coef(c, i) / lead));
  bound += 1;
  let count = 0;
  let a = -bound;
  let fa = polyAt(c, deg, a);
  for (let j = 0; j <= nCrit; j++) {
    const b = j < nCrit ? load<f64>(crit + (<usize>j << 3)) : bound;
    if (!(b > a)) continue;
    const fb = polyAt(c, deg, b);
    if (fb == 0) {
      store<f64>(out + (<usize>count << 3), b);
      count++;
    } else if ((fa < 0 && fb > 0) || (fa > 0 && fb < 0)) {
      const x = refineRoot(c, dc, deg, a, b, fa, startIn(a, b, hints, nHints));
      store<f64>(out + (<usize>count << 3), x);
      count++;
    }
    a = b;
    fa = fb;
  }
  return count;
}
