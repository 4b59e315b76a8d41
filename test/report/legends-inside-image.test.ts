/**
 * Every chart is measured when it is rendered: its legends must lie inside the image and no label may be
 * cut short ('Q-learning (seed m…'). writeChart refuses a chart that breaks this, so every command's
 * end-to-end test checks its own plots; here the measurement itself is tested, and each chart builder
 * is rendered with long labels.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Figure } from '../../src/execution/experiments/index.js';
import { figureSpec } from '../../src/execution/report.js';
import { histogramChart } from '../../src/lob/report.js';
import type { LobSummary } from '../../src/lob/stats.js';
import { type ChartSpec, layoutDefects, renderChart, writeChart } from '../../src/report/plots.js';

const dir = mkdtempSync(join(tmpdir(), 'quantrl-plots-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LONG =
  'Q-learning greedy policy π̂ (mean over seeds; band 25–75 %), a label longer than any default limit';

const line = (legend: Record<string, unknown>, autosize?: unknown): ChartSpec =>
  ({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 200,
    height: 100,
    ...(autosize ? { autosize } : {}),
    data: {
      values: [
        { x: 0, y: 1, s: LONG },
        { x: 1, y: 2, s: 'short' },
      ],
    },
    mark: 'line',
    encoding: {
      x: { field: 'x', type: 'quantitative' },
      y: { field: 'y', type: 'quantitative' },
      color: { field: 's', type: 'nominal', legend },
    },
  }) as ChartSpec;

describe('chart layout', () => {
  it('finds a label vega cut short, and writeChart then refuses the chart', async () => {
    const { layout } = await renderChart(line({}));
    expect(layout.truncated.length).toBeGreaterThan(0);
    await expect(writeChart(line({}), join(dir, 'cut'))).rejects.toThrow(/text cut short/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('finds a legend placed outside the image', async () => {
    const { layout } = await renderChart(line({ labelLimit: 0 }, { type: 'none' }));
    expect(layout.legends.length).toBe(1);
    expect(layoutDefects(layout)).toEqual([expect.stringMatching(/^legend .* outside/)]);
  });

  it('accepts a legend that fits', async () => {
    const { layout } = await renderChart(line({ labelLimit: 0, orient: 'bottom' }));
    expect(layoutDefects(layout)).toEqual([]);
    const [b] = layout.legends;
    expect(b && b.x2 <= layout.width && b.y2 <= layout.height).toBe(true);
  });

  const series = (name: string, y: number[]) => ({ name, x: y.map((_, i) => i), y, lo: y, hi: y });
  const figures: Figure[] = [
    {
      kind: 'curve',
      name: 'curve',
      title: 'A learning curve whose title is long enough to need more than one line in the chart header',
      xLabel: 'training episodes',
      yLabel: 'expected reward (ticks × lots)',
      logX: true,
      series: [
        series(LONG, [1, 2, 3]),
        series('optimum V* (exact DP)', [3, 3, 3]),
        series('same', [3, 3, 3]),
      ],
    },
    {
      kind: 'profile',
      name: 'profile',
      title: 'profile',
      series: [series(LONG, [4, 2, 0]), series('TWAP', [4, 2, 0])],
    },
    {
      kind: 'heatmap',
      name: 'heatmap',
      title: 'heat-map',
      cells: [
        { t: 0, q: 2, size: 2, label: 'sell 2', visited: true },
        { t: 1, q: 1, size: -1, label: 'LO 1', visited: false },
      ],
    },
  ];
  for (const f of figures)
    it(`the execution ${f.kind} chart keeps its legend inside and its labels whole`, async () => {
      const { layout, svg } = await renderChart(figureSpec(f));
      expect(layoutDefects(layout)).toEqual([]);
      expect(layout.legends.length).toBeGreaterThan(0); // the check is not vacuous
      if (f.kind !== 'heatmap') expect(svg).toContain(LONG);
      if (f.kind === 'curve') expect(svg).toContain('same (coincides with optimum V* (exact DP))');
    });

  it('the order-book histogram keeps every panel and label inside', async () => {
    const summary = (policy: string, histogram: { pnl: number; count: number }[]) =>
      ({ policy, episodes: 10, histogram }) as unknown as LobSummary;
    const spec = histogramChart(
      [
        summary('11', [
          { pnl: -66, count: 1 },
          { pnl: 0, count: 9 },
        ]),
        summary('skew', [{ pnl: 1, count: 10 }]),
      ],
      'P&L',
    );
    const { layout, svg } = await renderChart(spec);
    expect(layoutDefects(layout)).toEqual([]);
    // every integer between the extremes is a bar: −66 … 1 gives 68 per policy
    expect(svg.match(/<path/g)?.length ?? 0).toBeGreaterThan(0);
  });
});
