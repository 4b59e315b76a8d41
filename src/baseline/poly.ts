/**
 * TS twin of assembly/lq/poly.ts: real roots of a polynomial of degree ≤ 4, arithmetic only, with the
 * same warm starts (previous roots as hints; each level remembers its previous critical points).
 */

const MAX_REFINE = 200;
const CONVERGED = 1e-15; // relative step size at which a root is accepted

/** Previous critical points per derivative level (the kernel keeps them in its scratch block). */
export type RootMemory = number[][];

export function emptyRootMemory(): RootMemory {
  return [[], [], []];
}

/** p(x) by Horner's rule; `c` holds the coefficients, constant first. */
export function polyAt(c: ArrayLike<number>, deg: number, x: number): number {
  let v = c[deg] as number;
  for (let i = deg - 1; i >= 0; i--) v = v * x + (c[i] as number);
  return v;
}

function startIn(a: number, b: number, hints: readonly number[]): number {
  for (const h of hints) if (h > a && h < b) return h;
  return 0.5 * (a + b);
}

function refineRoot(
  c: ArrayLike<number>,
  dc: ArrayLike<number>,
  deg: number,
  a: number,
  b: number,
  fa: number,
  start: number,
): number {
  let neg = fa < 0 ? a : b;
  let pos = fa < 0 ? b : a;
  let x = start;
  for (let it = 0; it < MAX_REFINE; it++) {
    const f = polyAt(c, deg, x);
    if (f === 0) return x;
    if (f < 0) neg = x;
    else pos = x;
    const lo = Math.min(neg, pos);
    const hi = Math.max(neg, pos);
    let next = x - f / polyAt(dc, deg - 1, x);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= CONVERGED * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return x;
}

function quadraticRoots(c0: number, c1: number, c2: number): number[] {
  const disc = c1 * c1 - 4 * c2 * c0;
  if (disc < 0) return [];
  const s = Math.sqrt(disc);
  const h = -0.5 * (c1 + (c1 >= 0 ? s : -s));
  if (h === 0) return [0];
  const r1 = h / c2;
  const r2 = c0 / h;
  return [Math.min(r1, r2), Math.max(r1, r2)];
}

/**
 * Real roots (ascending) of the degree-`deg` polynomial with coefficients `c` (constant first).
 * `hints` are previous roots used as Newton starts; `memory[level]` is updated in place.
 */
export function realRoots(
  c: ArrayLike<number>,
  deg: number,
  hints: readonly number[] = [],
  memory: RootMemory = emptyRootMemory(),
  level = 0,
): number[] {
  while (deg > 0 && c[deg] === 0) deg--;
  if (deg <= 0) return [];
  if (deg === 1) return [-(c[0] as number) / (c[1] as number)];
  if (deg === 2) return quadraticRoots(c[0] as number, c[1] as number, c[2] as number);
  const dc = Array.from({ length: deg }, (_, i) => (i + 1) * (c[i + 1] as number));
  const crit = realRoots(dc, deg - 1, memory[level] ?? [], memory, level + 1);
  memory[level] = crit;
  let bound = 0;
  const lead = c[deg] as number;
  for (let i = 0; i < deg; i++) bound = Math.max(bound, Math.abs((c[i] as number) / lead));
  bound += 1;
  const roots: number[] = [];
  let a = -bound;
  let fa = polyAt(c, deg, a);
  for (let j = 0; j <= crit.length; j++) {
    const b = j < crit.length ? (crit[j] as number) : bound;
    if (!(b > a)) continue;
    const fb = polyAt(c, deg, b);
    if (fb === 0) roots.push(b);
    else if ((fa < 0 && fb > 0) || (fa > 0 && fb < 0))
      roots.push(refineRoot(c, dc, deg, a, b, fa, startIn(a, b, hints)));
    a = b;
    fa = fb;
  }
  return roots;
}
