/**
 * The one pass/fail vocabulary of every study's checks. A check passes, fails, or is skipped (not
 * evaluated at this size); a set of checks passes only when at least one was evaluated and none failed.
 * Printed as `PASS (n checked, m skipped)`, `FAIL (f of n checked failed, m skipped)`,
 * `NOT CHECKED (0 checked, m skipped)`, or `NO CRITERIA` for a run that states none.
 */

export interface Check {
  readonly name: string;
  /** null: skipped (not evaluated at this size). */
  readonly pass: boolean | null;
  readonly detail: string;
}

export type VerdictStatus = 'pass' | 'fail' | 'not-checked' | 'no-criteria';

export interface Verdict {
  readonly status: VerdictStatus;
  readonly checked: number;
  readonly failed: number;
  readonly skipped: number;
  /** The one-line form (`PASS (12 checked, 1 skipped)`). */
  readonly text: string;
}

export function check(name: string, pass: boolean, detail: string): Check {
  return { name, pass, detail };
}

export function skipped(name: string, why: string): Check {
  return { name, pass: null, detail: `skipped: ${why}` };
}

export function verdict(checks: readonly Check[]): Verdict {
  const skippedN = checks.filter((c) => c.pass === null).length;
  const failed = checks.filter((c) => c.pass === false).length;
  const checked = checks.length - skippedN;
  const counts = { checked, failed, skipped: skippedN };
  if (checks.length === 0) return { status: 'no-criteria', ...counts, text: 'NO CRITERIA' };
  if (failed > 0)
    return {
      status: 'fail',
      ...counts,
      text: `FAIL (${failed} of ${checked} checked failed, ${skippedN} skipped)`,
    };
  if (checked === 0)
    return { status: 'not-checked', ...counts, text: `NOT CHECKED (0 checked, ${skippedN} skipped)` };
  return { status: 'pass', ...counts, text: `PASS (${checked} checked, ${skippedN} skipped)` };
}

/** Under `--strict`, a run fails (exit 1) when a check failed or every criterion was skipped. */
export function failsStrict(v: Verdict): boolean {
  return v.status === 'fail' || v.status === 'not-checked';
}

/** The per-check mark of a printed or markdown list. */
export function checkMark(c: Check): 'PASS' | 'FAIL' | 'SKIP' {
  return c.pass === null ? 'SKIP' : c.pass ? 'PASS' : 'FAIL';
}

/** `--strict`: throws (exit 1) naming every run whose verdict fails under strict (results are already written). */
export function enforceStrict(runs: readonly { readonly title: string; readonly verdict: Verdict }[]): void {
  const bad = runs.filter((r) => failsStrict(r.verdict));
  if (bad.length) throw new Error(`--strict: ${bad.map((r) => `${r.title}: ${r.verdict.text}`).join('; ')}`);
}
