import { describe, expect, it } from 'vitest';
import { scoreRun } from '../../src/execution/analysis.js';
import { parseEnvConfig, parseLearnerConfig } from '../../src/execution/config.js';
import { solved } from '../../src/execution/solved.js';
import { runQlTask } from '../../src/execution/tasks.js';
import { compileKernels } from '../../src/kernels/wasm.js';
import { mean } from '../../src/stats.js';

// Q-learning reaches the exact optimum of the small default environments: the exact value gap of π̂
// shrinks with the budget (fresh runs of E/10 and E episodes) and along the learning curve (mean over
// its last fifth below its first fifth — within a run it is not monotone: while ε is high a newly
// tried action bootstraps from untried, optimistic successors and the greedy policy jumps), ends at
// 0, and π̂ lies in the argmax set on every state π* visits.
describe.each([
  ['deterministic', { variant: 'deterministic' }, 10_000],
  ['noisy-features/minimal', { variant: 'noisy-features' }, 100_000],
] as const)('%s', (_, raw, episodes) => {
  it(`reaches V* within E = ${episodes} on 5 seeds, the gap shrinking with episodes`, async () => {
    const env = parseEnvConfig(raw);
    const s = solved(env);
    const module = await compileKernels('release');
    const run = (E: number, seed: number) =>
      scoreRun(
        s,
        runQlTask(
          {
            experiment: 'test/ql-reaches-optimum',
            run: E,
            seed,
            engine: 'wasm',
            env,
            learner: parseLearnerConfig({ episodes: E }),
            evalEpisodes: 0,
          },
          module,
        ),
      );
    const small: number[] = [];
    for (let seed = 0; seed < 5; seed++) {
      const score = run(episodes, seed);
      expect(score.exact).toBe(true);
      expect(score.agreement).toBe(1);
      const gaps = score.checkpoints.map((c) => s.sol.value - c.value);
      for (const g of gaps) expect(g).toBeGreaterThanOrEqual(-1e-9); // exact policy values never beat V*
      const fifth = Math.floor(gaps.length / 5);
      expect(mean(gaps.slice(-fifth))).toBeLessThan(mean(gaps.slice(0, fifth)));
      // test tolerance, half of spec §5 E7(c)'s |max Q̂_0(s0) − V*_0(s0)| ≤ 1 for the harder impact env
      expect(score.checkpoints.at(-1)?.qError as number).toBeLessThan(0.5);
      small.push(run(episodes / 10, seed).gap);
    }
    expect(mean(small)).toBeGreaterThan(0);
  }, 120_000);
});
