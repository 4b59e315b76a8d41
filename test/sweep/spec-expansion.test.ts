/** Spec expansion: axis generators, product order, zip, seeded sample, run ids, shards. */
import { describe, expect, it } from 'vitest';
import { STUDIES } from '../../src/studies.js';
import { parseShard, planSweep, seedChunks, shardRuns } from '../../src/sweep/spec.js';

const plan = (spec: object, code = 'test') => planSweep({ study: 'lq', ...spec }, STUDIES, code);
const values = (p: ReturnType<typeof plan>, path: string) =>
  p.runs.map((r) => r.point.find(([q]) => q === path)?.[1]);

describe('sweep spec expansion', () => {
  it('expands linspace, logspace and integer ranges with exact end points', () => {
    const p = plan({
      grid: {
        'modelFree.lrScale': { logspace: { from: 0.01, to: 1, num: 3 } },
        iterations: { range: { from: 100, to: 300, step: 100 } },
        'modelFree.lrPower': { linspace: { from: 0.5, to: 1, num: 3 } },
      },
    });
    expect(p.runs).toHaveLength(27);
    // first axis slowest, last fastest
    expect(values(p, 'modelFree.lrScale').slice(0, 10)).toEqual([
      0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.1,
    ]);
    expect([...new Set(values(p, 'modelFree.lrScale'))]).toHaveLength(3);
    expect((values(p, 'modelFree.lrScale')[9] as number) - 0.1).toBeCloseTo(0, 15);
    expect(values(p, 'modelFree.lrScale')[26]).toBe(1);
    expect([...new Set(values(p, 'iterations'))]).toEqual([100, 200, 300]);
    expect(values(p, 'modelFree.lrPower').slice(0, 3)).toEqual([0.5, 0.75, 1]);
    expect(p.params).toEqual(['modelFree.lrScale', 'iterations', 'modelFree.lrPower']);
  });

  it('varies zipped paths together and crosses the group with the grid', () => {
    const p = plan({
      grid: { 'model.A': [1, 2] },
      zip: [{ 'modelFree.lrPower': [0.75, 0.5], 'modelFree.explorePower': [0.25, 0.5] }],
    });
    expect(p.runs.map((r) => r.point.map(([, v]) => v))).toEqual([
      [1, 0.75, 0.25],
      [1, 0.5, 0.5],
      [2, 0.75, 0.25],
      [2, 0.5, 0.5],
    ]);
    const config = p.runs[3]?.config as { modelFree: { explorePower: number } };
    expect(config.modelFree.explorePower).toBe(0.5);
  });

  it('draws the random sample from its seed alone, inside the stated ranges', () => {
    const spec = {
      sample: {
        n: 50,
        seed: 7,
        axes: {
          'modelFree.lrScale': { logUniform: [0.01, 0.1] },
          'modelFree.phi1Init': { uniform: [-1, -0.5] },
          iterations: { intUniform: [10, 20] },
          engine: { choice: ['wasm', 'js'] },
        },
      },
    };
    const a = plan(spec);
    const b = plan(spec);
    expect(a.runs.map((r) => r.point)).toEqual(b.runs.map((r) => r.point));
    const c = plan({ sample: { ...spec.sample, seed: 8 } });
    expect(c.runs.map((r) => r.point)).not.toEqual(a.runs.map((r) => r.point));
    for (const v of values(a, 'modelFree.lrScale') as number[]) expect(v >= 0.01 && v < 0.1).toBe(true);
    for (const v of values(a, 'iterations') as number[])
      expect(Number.isInteger(v) && v >= 10 && v <= 20).toBe(true);
    expect(new Set(values(a, 'engine'))).toEqual(new Set(['wasm', 'js']));
  });

  it('gives a run id that depends on the resolved config, seeds, streams and code version only', () => {
    const implicit = plan({ grid: { 'model.A': [1] } });
    const explicit = plan({ base: { model: { B: 1, D: 1 }, iterations: 200000 }, grid: { 'model.A': [1] } });
    expect(explicit.runs[0]?.runId).toBe(implicit.runs[0]?.runId);
    expect(plan({ grid: { 'model.A': [1] } }, 'other').runs[0]?.runId).not.toBe(implicit.runs[0]?.runId);
    expect(plan({ grid: { 'model.A': [1] }, seeds: { count: 2 } }).runs[0]?.runId).not.toBe(
      implicit.runs[0]?.runId,
    );
    expect(plan({ grid: { 'model.A': [1] }, streams: 'independent' }).runs[0]?.runId).not.toBe(
      implicit.runs[0]?.runId,
    );
    expect(plan({ grid: { 'model.A': [2] } }).runs[0]?.runId).not.toBe(implicit.runs[0]?.runId);
    // the run id does not depend on where the point sits in the grid
    const wider = plan({ grid: { 'model.A': [0.5, 1] } });
    expect(wider.runs[1]?.runId).toBe(implicit.runs[0]?.runId);
  });

  it('partitions runs into disjoint, covering, stable shards', () => {
    const p = plan({ grid: { 'model.A': { linspace: { from: 0, to: 1, num: 11 } } } });
    const shards = [0, 1, 2].map((i) => shardRuns(p.runs, parseShard(`${i}/3`)).map((r) => r.index));
    expect(shards.flat().sort((a, b) => a - b)).toEqual(p.runs.map((r) => r.index));
    expect(shards[1]).toEqual([1, 4, 7, 10]);
    expect(() => parseShard('3/3')).toThrow(/--shard/);
    expect(() => parseShard('1of3')).toThrow(/--shard/);
  });

  it('splits seeds into chunks', () => {
    expect(seedChunks(plan({ seeds: { count: 20, first: 5, chunk: 8 } }))).toEqual([
      [5, 8],
      [13, 8],
      [21, 4],
    ]);
  });
});
