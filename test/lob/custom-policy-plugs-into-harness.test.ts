// A policy is a pluggable function: custom policies (as learned ones will be) run through the same
// harness on the JS engine with the same per-episode streams. Re-implementing "11" and the inventory-
// skew rule as functions reproduces the built-in policies' records exactly.
import { describe, expect, it } from 'vitest';
import { evaluateRecords } from '../../src/lob/harness.js';
import { S_Y } from '../../src/lob/layout.js';
import { resolveModel } from '../../src/lob/model.js';
import { builtinPolicy, customPolicy } from '../../src/lob/policies.js';

const plan = {
  model: resolveModel('const'),
  episodes: 2000,
  experiment: 'test/lob/custom',
  run: 3,
  engine: 'wasm' as const,
};

describe('custom policies in the evaluation harness', () => {
  it('a function returning (1, 1) reproduces the built-in "11" (WASM) episode by episode', async () => {
    const custom = await evaluateRecords(
      undefined,
      plan,
      customPolicy('always-11', () => [1, 1]),
    );
    const builtin = await evaluateRecords(undefined, plan, builtinPolicy('11'));
    expect(Array.from(custom)).toEqual(Array.from(builtin));
  });

  it('a state-dependent function (inventory skew) reproduces the built-in "skew"', async () => {
    const skew = customPolicy('my-skew', (st) => {
      const y = st[S_Y] as number;
      return [y >= 0 ? 1 : 0, y <= 0 ? 1 : 0];
    });
    const custom = await evaluateRecords(undefined, plan, skew);
    const builtin = await evaluateRecords(undefined, plan, builtinPolicy('skew'));
    expect(Array.from(custom)).toEqual(Array.from(builtin));
  });
});
