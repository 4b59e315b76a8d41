import { describe, expect, it } from 'vitest';
import { check, enforceStrict, failsStrict, skipped, verdict } from '../../src/checks.js';

// The one pass/fail vocabulary: a set of checks passes only when at least one was evaluated and none
// failed; all skipped is not a pass, and --strict fails on it as on a FAIL.
const ok = check('a', true, '');
const bad = check('b', false, '');
const skip = skipped('c', 'budget not run');

describe('verdict', () => {
  it('counts checked and skipped criteria', () => {
    expect(verdict([ok, ok, skip])).toMatchObject({ status: 'pass', text: 'PASS (2 checked, 1 skipped)' });
    expect(verdict([ok, bad, skip])).toMatchObject({
      status: 'fail',
      text: 'FAIL (1 of 2 checked failed, 1 skipped)',
    });
  });

  it('does not call a run whose criteria were all skipped a pass', () => {
    const v = verdict([skip, skip]);
    expect(v).toMatchObject({ status: 'not-checked', text: 'NOT CHECKED (0 checked, 2 skipped)' });
    expect(failsStrict(v)).toBe(true);
  });

  it('names a run without criteria as such, which --strict does not fail', () => {
    const v = verdict([]);
    expect(v.text).toBe('NO CRITERIA');
    expect(failsStrict(v)).toBe(false);
  });

  it('--strict throws naming every failing run', () => {
    const runs = [
      { title: 'E1', verdict: verdict([ok]) },
      { title: 'E2', verdict: verdict([bad]) },
      { title: 'E3', verdict: verdict([skip]) },
    ];
    expect(() => enforceStrict(runs)).toThrow(
      '--strict: E2: FAIL (1 of 1 checked failed, 0 skipped); E3: NOT CHECKED (0 checked, 1 skipped)',
    );
    expect(() => enforceStrict(runs.slice(0, 1))).not.toThrow();
  });
});
