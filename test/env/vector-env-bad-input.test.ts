// Bad input to the vector envs: every offending env index is named with its action, on both engines,
// and nothing is stepped; step before reset is an error.
import { describe, expect, it } from 'vitest';
import { makeVectorEnv } from '../../src/env/vector.js';

describe.each(['wasm', 'js'] as const)('vector env bad input (%s engine)', (engine) => {
  it('market making: actions outside Discrete(4) name every env and action; state untouched', async () => {
    const v = await makeVectorEnv('market-making', { num: 6, seed: 1, engine });
    v.reset();
    const before = Array.from(v.observations);
    v.actions.set([3, 4, 0, -1, 2, 9]);
    expect(() => v.step()).toThrow(
      'market-making vector env: 3 action(s) outside Discrete(4): env 1 (action 4), env 3 (action -1), env 5 (action 9)',
    );
    expect(Array.from(v.observations)).toEqual(before);
    v.actions.fill(3);
    v.step();
  });

  it('lq: non-finite actions are refused', async () => {
    const v = await makeVectorEnv('lq', { num: 3, engine });
    v.reset();
    v.actions.set([0.5, Number.NaN, Number.POSITIVE_INFINITY]);
    expect(() => v.step()).toThrow(
      /2 action\(s\) outside the action space \(finite numbers\): env 1 \(action NaN\), env 2 \(action Infinity\)/,
    );
  });

  it('execution: an action beyond the feasible prefix is refused', async () => {
    const v = await makeVectorEnv('execution', { num: 2, config: { variant: 'impact' }, engine });
    v.reset();
    const feasible = v.info.feasible as Int32Array;
    v.actions.set([0, feasible[1] as number]);
    expect(() => v.step()).toThrow(
      new RegExp(`outside the feasible actions.*: env 1 \\(action ${feasible[1]}\\)`),
    );
  });

  it('step before reset; bad options', async () => {
    const v = await makeVectorEnv('lq', { num: 2, engine });
    expect(() => v.step()).toThrow(/call reset\(\) before step\(\)/);
    await expect(makeVectorEnv('lq', { num: 0, engine })).rejects.toThrow(/num must be an integer/);
    await expect(
      makeVectorEnv('market-making', { num: 1, engine, config: { regime: 'const', T: -1 } }),
    ).rejects.toThrow(/^T:/);
  });
});
