/**
 * Golden-number comparison. An integer golden ('-36', '-108') is exact: the DP and the closed forms
 * that produce them sum exactly representable terms, so it is asserted with no tolerance. Otherwise
 * relative 1e-9, loosened only to half a unit in the last printed digit when the spec prints fewer
 * digits than that (e.g. '0.3163067' is good to 5e-8, not 1e-9).
 */
import { expect } from 'vitest';

export function tolerance(golden: string): number {
  const g = Number(golden);
  const mantissa = golden.toLowerCase().split('e')[0] ?? golden;
  const exp = golden.toLowerCase().includes('e') ? Number(golden.toLowerCase().split('e')[1]) : 0;
  if (!mantissa.includes('.') && exp === 0) return 0;
  const decimals = mantissa.includes('.') ? (mantissa.split('.')[1] ?? '').length : 0;
  return Math.max(1e-9 * Math.abs(g), 0.5 * 10 ** (exp - decimals));
}

export function expectGolden(actual: number, golden: string, label = golden): void {
  const tol = tolerance(golden);
  const err = Math.abs(actual - Number(golden));
  expect(err, `${label}: got ${actual}, golden ${golden}, tolerance ${tol}`).toBeLessThanOrEqual(tol);
}
